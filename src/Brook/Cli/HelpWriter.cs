namespace Brook.Cli;

/// <summary>Help text of a command, from its definition.</summary>
public static class HelpWriter
{
    public static void Write(TextWriter writer, CliCommand command, IReadOnlyList<CliOption> globals)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(command);
        writer.WriteLine(command.Summary);
        if (command.Details is not null)
        {
            writer.WriteLine();
            writer.WriteLine(command.Details);
        }
        writer.WriteLine();
        writer.WriteLine($"Usage: {Usage(command)}");
        var subcommands = command.Subcommands.Where(c => !c.Hidden).ToArray();
        if (subcommands.Length > 0)
        {
            writer.WriteLine();
            writer.WriteLine("Commands:");
            int width = subcommands.Max(c => c.Name.Length) + 2;
            foreach (CliCommand sub in subcommands)
            {
                writer.WriteLine($"  {sub.Name.PadRight(width)}{sub.Summary}");
            }
        }
        if (command.Arguments.Count > 0)
        {
            writer.WriteLine();
            writer.WriteLine("Arguments:");
            int width = command.Arguments.Max(a => a.Name.Length) + 2;
            foreach (CliArgument argument in command.Arguments)
            {
                writer.WriteLine($"  {argument.Name.PadRight(width)}{argument.Description}");
            }
        }
        WriteOptions(writer, "Options:", command.Options);
        WriteOptions(writer, "Global options:", globals);
        if (command.Examples.Count > 0)
        {
            writer.WriteLine();
            writer.WriteLine("Examples:");
            foreach (string example in command.Examples)
            {
                writer.WriteLine($"  {example}");
            }
        }
    }

    public static string Usage(CliCommand command)
    {
        var parts = new List<string> { command.Path };
        if (command.Subcommands.Any(c => !c.Hidden))
        {
            parts.Add("<command>");
        }
        parts.AddRange(command.Arguments.Select(a => a.Display));
        if (command.Options.Count > 0 || command.Subcommands.Count == 0)
        {
            parts.Add("[options]");
        }
        return string.Join(' ', parts);
    }

    public static string Describe(CliOption option)
    {
        string text = option.Description;
        if (option.Choices.Count > 0 && !text.Contains(string.Join(", ", option.Choices), StringComparison.Ordinal))
        {
            text += $" ({string.Join("|", option.Choices)})";
        }
        if (option.Default is not null)
        {
            text += $" [default: {option.Default}]";
        }
        if (option.Repeatable)
        {
            text += " (repeatable)";
        }
        return text;
    }

    private static void WriteOptions(TextWriter writer, string title, IReadOnlyList<CliOption> options)
    {
        if (options.Count == 0)
        {
            return;
        }
        writer.WriteLine();
        writer.WriteLine(title);
        int width = options.Max(o => o.Display.Length) + 2;
        foreach (CliOption option in options)
        {
            writer.WriteLine($"  {option.Display.PadRight(width)}{Describe(option)}");
        }
    }
}
