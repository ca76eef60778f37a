using Brook.Cli;

namespace Brook;

/// <summary>The <c>brook</c> binary: the broker and the tools around it behind one command (see <see cref="BrookCli"/>).</summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        using var cancellation = new CancellationTokenSource();
        // The first Ctrl-C asks the running command to finish (consume ends, bench reports); a second one kills the process.
        Console.CancelKeyPress += (_, e) =>
        {
            if (!cancellation.IsCancellationRequested)
            {
                e.Cancel = true;
                cancellation.Cancel();
            }
        };
        bool terminal = !Console.IsOutputRedirected;
        int width = terminal ? SafeWidth() : int.MaxValue;
        await using Stream input = Console.OpenStandardInput();
        await using Stream output = Console.OpenStandardOutput();
        return await BrookCli.RunAsync(args, input, output, Console.Error, CliEnvironment.FromProcess(), new TerminalInfo(terminal, width), cancellation.Token);
    }

    private static int SafeWidth()
    {
        try
        {
            return Console.WindowWidth > 0 ? Console.WindowWidth : 120;
        }
        catch (IOException)
        {
            return 120;
        }
    }
}
