namespace Brook.Protocol.Generator;

/// <summary>
/// Usage: <c>dotnet run --project tools/Brook.Protocol.Generator -- [messagesDir] [outputDir] [testSupportDir]</c>.
/// Defaults: <c>../shared/kafka-protocol/messages</c> beside the repository (or beside a folder above it), and the
/// repository's <c>src/Brook.Protocol/Generated</c> and <c>tests/Brook.Protocol.Tests/Generated</c>.
/// FACTS.md is read from the folder above the messages folder.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        string? root = ProtocolGenerator.FindRepositoryRoot(Directory.GetCurrentDirectory());
        if (root is null && args.Length < 2)
        {
            Console.Error.WriteLine("Run from inside the Brook repository, or pass <messagesDir> <outputDir> [testSupportDir].");
            return 2;
        }
        string? messagesArg = args.Length > 0 ? args[0] : ProtocolGenerator.FindMessagesDirectory(root!);
        if (messagesArg is null)
        {
            Console.Error.WriteLine("No ../shared/kafka-protocol/messages beside the repository; pass <messagesDir>.");
            return 2;
        }
        string messages = Path.GetFullPath(messagesArg);
        string output = Path.GetFullPath(args.Length > 1 ? args[1] : Path.Combine(root!, ProtocolGenerator.ProtocolOutput));
        string tests = Path.GetFullPath(args.Length > 2 ? args[2]
            : root is not null ? Path.Combine(root, ProtocolGenerator.TestSupportOutput) : Path.Combine(output, "..", "TestSupport"));
        string facts = Path.Combine(messages, "..", "FACTS.md");
        var files = ProtocolGenerator.Generate(messages, facts);
        ProtocolGenerator.WriteAll(files, output, tests);
        Console.WriteLine($"Wrote {files.Count} files from {messages} to {output} and {tests}.");
        return 0;
    }
}
