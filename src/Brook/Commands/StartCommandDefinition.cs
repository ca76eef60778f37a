using Brook.Cli;

namespace Brook.Commands;

/// <summary><c>brook start</c>: the broker, which reads its own flags (docs/operations.md).</summary>
public static class StartCommandDefinition
{
    public static CliCommand Create() =>
        new CliCommand("start", "run a broker (brook start --help lists its settings)")
        {
            PassThrough = true,
            Details = "Its settings come from a YAML file, BROOK_* variables and flags; docs/operations.md lists them.",
        }.Runs(context => StartCommand.RunAsync([.. context.Arguments.Positionals], BrookCli.Version));
}

/// <summary><c>brook version</c>.</summary>
public static class VersionCommand
{
    public static CliCommand Create() =>
        new CliCommand("version", "print the version").Runs(async context =>
        {
            await context.Out.WriteLineAsync($"brook {BrookCli.Version}");
            return ExitCodes.Ok;
        });
}
