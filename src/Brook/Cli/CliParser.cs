namespace Brook.Cli;

/// <summary>The command a line names, what it was given, and whether help was asked for.</summary>
public sealed record ParseResult(CliCommand Command, ParsedArguments Arguments, bool HelpRequested, string[] PassThrough);

/// <summary>
/// Parses a command line against the command tree: leading words pick subcommands, options may come
/// anywhere (<c>--name VALUE</c>, <c>--name=VALUE</c>, <c>-a VALUE</c>), <c>--</c> ends the options.
/// Global options are accepted by every command.
/// </summary>
public static class CliParser
{
    public static ParseResult Parse(CliCommand root, IReadOnlyList<CliOption> globals, IReadOnlyList<string> args)
    {
        CliCommand command = root;
        var parsed = new ParsedArguments();
        bool help = false;
        bool optionsEnded = false;
        for (int i = 0; i < args.Count; i++)
        {
            string token = args[i];
            if (!optionsEnded && token == "--")
            {
                optionsEnded = true;
                continue;
            }
            if (!optionsEnded && token is "-h" or "--help")
            {
                help = true;
                continue;
            }
            if (!optionsEnded && token.Length > 1 && token[0] == '-' && !IsNegativeNumber(token))
            {
                string name = token;
                string? inline = null;
                int equals = token.IndexOf('=', StringComparison.Ordinal);
                if (token.StartsWith("--", StringComparison.Ordinal) && equals > 0)
                {
                    name = token[..equals];
                    inline = token[(equals + 1)..];
                }
                CliOption option = FindOption(command, globals, name)
                    ?? throw new UsageException($"unknown option {name} for '{command.Path}'");
                if (option.IsFlag)
                {
                    if (inline is not null && inline is not ("true" or "false"))
                    {
                        throw new UsageException($"{option.Name} takes no value");
                    }
                    if (inline != "false")
                    {
                        parsed.Add(option.Name, "true");
                    }
                    continue;
                }
                if (inline is null)
                {
                    if (i + 1 >= args.Count)
                    {
                        throw new UsageException($"{option.Name} needs a value ({option.ValueName})");
                    }
                    inline = args[++i];
                }
                if (option.Choices.Count > 0 && !option.Choices.Contains(inline))
                {
                    throw new UsageException($"{option.Name} must be one of {string.Join(", ", option.Choices)}, not '{inline}'");
                }
                parsed.Add(option.Name, inline);
                continue;
            }
            if (parsed.Positionals.Count == 0 && command.Subcommands.Count > 0)
            {
                CliCommand? sub = command.Find(token);
                if (sub is null)
                {
                    throw new UsageException($"unknown command '{token}' for '{command.Path}'");
                }
                command = sub;
                if (command.PassThrough)
                {
                    return new ParseResult(command, parsed, help, [.. args.Skip(i + 1)]);
                }
                continue;
            }
            parsed.Positionals.Add(token);
        }
        return new ParseResult(command, parsed, help, []);
    }

    /// <summary>Checks the positional arguments against the command's declared ones.</summary>
    public static void CheckArguments(CliCommand command, ParsedArguments parsed)
    {
        int required = command.Arguments.Count(a => a.Required);
        bool variadic = command.Arguments.Count > 0 && command.Arguments[^1].Variadic;
        if (parsed.Positionals.Count < required)
        {
            throw new UsageException($"missing {command.Arguments[parsed.Positionals.Count].Name}");
        }
        if (!variadic && parsed.Positionals.Count > command.Arguments.Count)
        {
            throw new UsageException($"unexpected argument '{parsed.Positionals[command.Arguments.Count]}'");
        }
    }

    private static CliOption? FindOption(CliCommand command, IReadOnlyList<CliOption> globals, string name)
    {
        foreach (CliOption option in command.AllOptions(globals))
        {
            if (option.Name == name || option.Alias == name)
            {
                return option;
            }
        }
        return null;
    }

    private static bool IsNegativeNumber(string token) => token.Length > 1 && token[0] == '-' && char.IsAsciiDigit(token[1]);
}
