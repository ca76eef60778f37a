using System.Text;
using Brook.Cli;

namespace Brook.Commands;

/// <summary>The hidden <c>brook docs cli</c>: the CLI reference (docs/cli.md) generated from the command definitions.</summary>
public static class DocsCommand
{
    public static CliCommand Create()
    {
        var docs = new CliCommand("docs", "generate documentation") { Hidden = true };
        docs.Add(new CliCommand("cli", "print the CLI reference in Markdown (docs/cli.md)").Runs(async context =>
        {
            await context.Out.WriteAsync(Reference(BrookCli.CreateRoot()));
            return ExitCodes.Ok;
        }));
        return docs;
    }

    public static string Reference(CliCommand root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var text = new StringBuilder();
        text.Append("# `brook` CLI reference\n\n");
        text.Append("<!-- Generated from the command definitions in src/Brook/Commands by `brook docs cli`; do not edit by hand. -->\n\n");
        text.Append(root.Summary).Append("\n\n");
        text.Append("Exit codes: `0` success, `1` failure (an error from the cluster, an unreachable broker, bad input), `2` usage error ");
        text.Append("(unknown command or option, missing argument). Colours only on a terminal and never with `NO_COLOR` or `--no-color`; ");
        text.Append("tables are cut to the terminal's width.\n\n");
        text.Append("## Global options\n\nEvery command takes these.\n\n");
        AppendOptions(text, BrookCli.GlobalOptions);
        text.Append("The cluster is found from, first wins: `--brokers`, `-X brokers=`, `BROOK_BROKERS`, the profile (`--profile`, `BROOK_PROFILE`, else the current one), `127.0.0.1:9092`.\n\n");
        foreach (CliCommand command in root.Subcommands.Where(c => !c.Hidden))
        {
            AppendCommand(text, command, 2);
        }
        return text.ToString();
    }

    private static void AppendCommand(StringBuilder text, CliCommand command, int level)
    {
        text.Append(new string('#', level)).Append(" `").Append(command.Path).Append("`\n\n");
        text.Append(command.Summary).Append(".\n\n");
        if (command.Details is not null)
        {
            text.Append(command.Details).Append("\n\n");
        }
        if (command.Run is not null || command.PassThrough)
        {
            text.Append("```\n").Append(HelpWriter.Usage(command)).Append("\n```\n\n");
        }
        if (command.Arguments.Count > 0)
        {
            text.Append("| Argument | Meaning |\n|---|---|\n");
            foreach (CliArgument argument in command.Arguments)
            {
                text.Append("| `").Append(argument.Display).Append("` | ").Append(Escape(argument.Description)).Append(" |\n");
            }
            text.Append('\n');
        }
        AppendOptions(text, command.Options);
        if (command.Examples.Count > 0)
        {
            text.Append("Examples:\n\n```sh\n");
            foreach (string example in command.Examples)
            {
                text.Append(example).Append('\n');
            }
            text.Append("```\n\n");
        }
        foreach (CliCommand sub in command.Subcommands.Where(c => !c.Hidden))
        {
            AppendCommand(text, sub, Math.Min(level + 1, 4));
        }
    }

    private static void AppendOptions(StringBuilder text, IReadOnlyList<CliOption> options)
    {
        if (options.Count == 0)
        {
            return;
        }
        text.Append("| Option | Meaning |\n|---|---|\n");
        foreach (CliOption option in options)
        {
            text.Append("| `").Append(option.Display).Append("` | ").Append(Escape(HelpWriter.Describe(option))).Append(" |\n");
        }
        text.Append('\n');
    }

    private static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);
}
