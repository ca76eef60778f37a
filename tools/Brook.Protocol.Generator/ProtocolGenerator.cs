namespace Brook.Protocol.Generator;

/// <summary>Where a generated file belongs.</summary>
public enum GeneratedTarget
{
    /// <summary>src/Brook.Protocol/Generated.</summary>
    Protocol,
    /// <summary>tests/Brook.Protocol.Tests/Generated.</summary>
    TestSupport,
}

/// <summary>One generated file and its content ('\n' line endings).</summary>
public sealed record GeneratedFile(GeneratedTarget Target, string FileName, string Content);

/// <summary>
/// The generator as a library: specs in, files out. Pure (reads only its inputs) and
/// deterministic, so a test can regenerate into memory and compare with the committed files.
/// </summary>
public static class ProtocolGenerator
{
    public const string ProtocolOutput = "src/Brook.Protocol/Generated";
    public const string TestSupportOutput = "tests/Brook.Protocol.Tests/Generated";

    /// <summary>Generates everything from <paramref name="messagesDir"/> and the FACTS.md beside it.</summary>
    public static IReadOnlyList<GeneratedFile> Generate(string messagesDir, string factsPath)
    {
        var specFiles = Directory.GetFiles(messagesDir, "*.json").Order(StringComparer.Ordinal).ToList();
        if (specFiles.Count == 0)
        {
            throw new InvalidDataException($"no *.json specs in {messagesDir}");
        }
        var models = specFiles.Select(f => new MessageModel(MessageSpec.Load(f))).ToList();
        var files = new List<GeneratedFile>();
        foreach (var model in models)
        {
            files.Add(new GeneratedFile(GeneratedTarget.Protocol, model.Spec.FileName + ".g.cs", MessageEmitter.Emit(model)));
        }
        var apis = TableEmitter.Pair(models.Select(m => m.Spec));
        files.Add(new GeneratedFile(GeneratedTarget.Protocol, "ApiKey.g.cs", TableEmitter.EmitApiKeyEnum(apis)));
        files.Add(new GeneratedFile(GeneratedTarget.Protocol, "ApiMessageTypes.g.cs", TableEmitter.EmitTable(apis)));
        var errors = ErrorTableEmitter.Parse(File.ReadAllText(factsPath));
        files.Add(new GeneratedFile(GeneratedTarget.Protocol, "ErrorCodes.g.cs", ErrorTableEmitter.Emit(errors)));
        files.Add(new GeneratedFile(GeneratedTarget.TestSupport, "MessageSamples.g.cs", SampleEmitter.Emit(models)));
        return files;
    }

    /// <summary>Writes the files and deletes stale <c>*.g.cs</c> files the specs no longer produce.</summary>
    public static void WriteAll(IReadOnlyList<GeneratedFile> files, string protocolDir, string testSupportDir)
    {
        ArgumentNullException.ThrowIfNull(files);
        foreach (var (target, dir) in new[] { (GeneratedTarget.Protocol, protocolDir), (GeneratedTarget.TestSupport, testSupportDir) })
        {
            Directory.CreateDirectory(dir);
            var wanted = files.Where(f => f.Target == target).ToList();
            var names = wanted.Select(f => f.FileName).ToHashSet(StringComparer.Ordinal);
            foreach (var stale in Directory.GetFiles(dir, "*.g.cs").Where(p => !names.Contains(Path.GetFileName(p))))
            {
                File.Delete(stale);
            }
            foreach (var file in wanted)
            {
                File.WriteAllText(Path.Combine(dir, file.FileName), file.Content);
            }
        }
    }

    /// <summary>
    /// The specs folder: <c>shared/kafka-protocol/messages</c> beside the repository
    /// (<c>&lt;repo&gt;/../shared</c>), or beside a folder further up, as for a git worktree
    /// kept under the main checkout's parent. Null when there is none.
    /// </summary>
    public static string? FindMessagesDirectory(string repositoryRoot)
    {
        for (var dir = new DirectoryInfo(repositoryRoot).Parent; dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "shared", "kafka-protocol", "messages");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    /// <summary>The nearest directory at or above <paramref name="start"/> holding Brook.slnx.</summary>
    public static string? FindRepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Brook.slnx")))
            {
                return dir.FullName;
            }
        }
        return null;
    }
}
