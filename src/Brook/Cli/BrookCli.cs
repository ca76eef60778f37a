using System.Reflection;
using Brook.Client;
using Brook.Commands;

namespace Brook.Cli;

/// <summary>
/// The <c>brook</c> command line: the command tree and one entry point that runs a line against
/// given streams and environment, so tests run commands in-process exactly as the binary does.
/// Exit codes: 0 success, 1 failure (an error from the cluster, an unreachable broker, bad data),
/// 2 usage (unknown command or option, missing argument).
/// </summary>
public static class BrookCli
{
    public static readonly IReadOnlyList<CliOption> GlobalOptions =
    [
        CliOption.Value("--brokers", "HOST:PORT,...", "the cluster's bootstrap servers (else -X brokers=, BROOK_BROKERS, the profile, 127.0.0.1:9092)"),
        new CliOption("-X", "a client setting: brokers, client.id, request.timeout.ms, connect.timeout.ms") { ValueName = "KEY=VALUE", Repeatable = true },
        CliOption.Value("--profile", "NAME", "use this profile from $XDG_CONFIG_HOME/brook/profiles.yaml (else BROOK_PROFILE, the current one)"),
        CliOption.Flag("--no-color", "no colours even on a terminal (as NO_COLOR)"),
    ];

    public static string Version =>
        typeof(BrookCli).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    /// <summary>The whole command tree.</summary>
    public static CliCommand CreateRoot()
    {
        var root = new CliCommand("brook", "Brook: a Kafka-compatible event streaming platform in one binary.")
        {
            Details = "Exit codes: 0 success, 1 failure, 2 usage error.",
        };
        root.Add(StartCommandDefinition.Create())
            .Add(VersionCommand.Create())
            .Add(TopicCommands.Create())
            .Add(GroupCommands.Create())
            .Add(ClusterCommands.Create())
            .Add(BenchCommands.Create())
            .Add(TxnCommands.Create())
            .Add(ProfileCommands.Create())
            .Add(CompletionCommand.Create())
            .Add(DocsCommand.Create())
            .Add(CompletionCommand.CreateCandidates());
        return root;
    }

    /// <summary>Runs one command line; returns its exit code. Nothing here touches the process's console.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, Stream input, Stream output, TextWriter error,
        CliEnvironment environment, TerminalInfo? terminal = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(error);
        CliCommand root = CreateRoot();
        ParseResult parsed;
        try
        {
            parsed = CliParser.Parse(root, GlobalOptions, args);
        }
        catch (UsageException e)
        {
            await error.WriteLineAsync($"brook: {e.Message}\nRun 'brook --help' for usage.");
            return ExitCodes.Usage;
        }
        CliCommand command = parsed.Command;
        var context = new CliContext(command, parsed.Arguments, input, output, error, environment, terminal ?? TerminalInfo.None, cancellation);
        try
        {
            if (command.PassThrough && command.Run is not null)
            {
                context.Arguments.Positionals.AddRange(parsed.PassThrough);
                return await command.Run(context);
            }
            if (parsed.HelpRequested || command.Run is null)
            {
                TextWriter helpTo = parsed.HelpRequested || command == root ? context.Out : error;
                HelpWriter.Write(helpTo, command, GlobalOptions);
                return parsed.HelpRequested || command == root ? ExitCodes.Ok : ExitCodes.Usage;
            }
            CliParser.CheckArguments(command, parsed.Arguments);
            return await command.Run(context);
        }
        catch (UsageException e)
        {
            await error.WriteLineAsync($"{command.Path}: {e.Message}\nRun '{command.Path} --help' for usage.");
            return ExitCodes.Usage;
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            return ExitCodes.Error;
        }
        catch (Exception e) when (e is KafkaException or CliException or IOException or TimeoutException)
        {
            await error.WriteLineAsync($"{command.Path}: {Message(e)}");
            return ExitCodes.Error;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await error.WriteLineAsync($"{command.Path}: unexpected error (a bug in brook): {e}");
            return ExitCodes.Error;
        }
        finally
        {
            await context.Out.FlushAsync(CancellationToken.None);
        }
    }

    private static string Message(Exception e) => e switch
    {
        KafkaConnectionException => e.Message,
        KafkaException { InnerException: { } inner } when inner is not KafkaException => $"{e.Message}: {inner.Message}",
        _ => e.Message,
    };
}
