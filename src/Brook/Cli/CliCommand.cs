namespace Brook.Cli;

/// <summary>
/// One command of the <c>brook</c> tree: its options, arguments, subcommands and what it runs.
/// Help, completion and the generated reference (docs/cli.md) are all read from these definitions.
/// </summary>
public sealed class CliCommand
{
    public CliCommand(string name, string summary)
    {
        Name = name;
        Summary = summary;
    }

    public string Name { get; }

    /// <summary>One line for listings.</summary>
    public string Summary { get; }

    /// <summary>More text for the command's own help and the reference, when one line is not enough.</summary>
    public string? Details { get; init; }

    public List<CliOption> Options { get; } = [];

    public List<CliArgument> Arguments { get; } = [];

    public List<CliCommand> Subcommands { get; } = [];

    /// <summary>Not listed in help, completion or the reference.</summary>
    public bool Hidden { get; init; }

    /// <summary>The command parses its own arguments (e.g. <c>brook start</c>); the rest of the line is passed through.</summary>
    public bool PassThrough { get; init; }

    /// <summary>Examples shown in help and in the reference.</summary>
    public List<string> Examples { get; } = [];

    public Func<CliContext, Task<int>>? Run { get; set; }

    public CliCommand? Parent { get; private set; }

    public string Path => Parent is null ? Name : $"{Parent.Path} {Name}";

    public CliCommand Add(CliCommand subcommand)
    {
        subcommand.Parent = this;
        Subcommands.Add(subcommand);
        return this;
    }

    public CliCommand With(CliOption option)
    {
        Options.Add(option);
        return this;
    }

    public CliCommand With(CliArgument argument)
    {
        Arguments.Add(argument);
        return this;
    }

    public CliCommand Example(string example)
    {
        Examples.Add(example);
        return this;
    }

    public CliCommand Runs(Func<CliContext, Task<int>> run)
    {
        Run = run;
        return this;
    }

    public CliCommand? Find(string name)
    {
        foreach (CliCommand command in Subcommands)
        {
            if (command.Name == name)
            {
                return command;
            }
        }
        return null;
    }

    /// <summary>Options of this command and the global ones every command takes.</summary>
    public IEnumerable<CliOption> AllOptions(IEnumerable<CliOption> globals) => Options.Concat(globals);
}

/// <summary>An option: <c>--name VALUE</c> (or <c>--name=VALUE</c>), optionally with a short alias; a flag when it takes no value.</summary>
public sealed record CliOption(string Name, string Description)
{
    /// <summary>The one-letter alias, with its dash (<c>-p</c>).</summary>
    public string? Alias { get; init; }

    /// <summary>What the value is called in help (<c>N</c>, <c>KEY=VALUE</c>); null for a flag.</summary>
    public string? ValueName { get; init; }

    public bool Repeatable { get; init; }

    /// <summary>The values completion offers.</summary>
    public IReadOnlyList<string> Choices { get; init; } = [];

    public string? Default { get; init; }

    public bool IsFlag => ValueName is null;

    public static CliOption Flag(string name, string description, string? alias = null) => new(name, description) { Alias = alias };

    public static CliOption Value(string name, string valueName, string description, string? alias = null) =>
        new(name, description) { Alias = alias, ValueName = valueName };

    public string Display => (Alias is null ? "" : Alias + ", ") + Name + (ValueName is null ? "" : " " + ValueName);
}

/// <summary>A positional argument.</summary>
public sealed record CliArgument(string Name, string Description, bool Required = true, bool Variadic = false)
{
    public string Display => (Required ? Name : $"[{Name}]") + (Variadic ? "..." : "");
}
