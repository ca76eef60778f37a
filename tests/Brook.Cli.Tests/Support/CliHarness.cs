using System.Text;
using System.Text.Json;
using Brook.Client.Tests.Support;

namespace Brook.Cli.Tests.Support;

/// <summary>What one in-process <c>brook</c> run printed and returned.</summary>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public JsonElement Json => JsonDocument.Parse(Stdout).RootElement;

    public string[] Lines => Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public CliResult Ok()
    {
        Assert.True(ExitCode == 0, ToString());
        return this;
    }

    public override string ToString() => $"exit {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}";
}

/// <summary>
/// Runs <c>brook</c> command lines in-process through <see cref="BrookCli.RunAsync"/> against one
/// broker, with a private config directory (XDG_CONFIG_HOME) so profiles never touch the user's.
/// </summary>
public sealed class CliHarness : IAsyncDisposable
{
    private readonly Dictionary<string, string?> _environment;

    private CliHarness(EmbeddedBroker broker, string configHome)
    {
        Broker = broker;
        ConfigHome = configHome;
        _environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["BROOK_BROKERS"] = broker.BootstrapServers,
            ["XDG_CONFIG_HOME"] = configHome,
        };
    }

    public EmbeddedBroker Broker { get; }

    public string ConfigHome { get; }

    public static async Task<CliHarness> StartAsync()
    {
        string configHome = Path.Combine(Path.GetTempPath(), "brook-cli-config-" + Guid.NewGuid().ToString("N"));
        return new CliHarness(await EmbeddedBroker.StartAsync(), configHome);
    }

    public void SetEnvironment(string name, string? value) => _environment[name] = value;

    public Task<CliResult> RunAsync(params string[] args) => RunWithInputAsync("", args);

    public Task<CliResult> RunWithInputAsync(string stdin, params string[] args) =>
        RunAsync(new MemoryStream(Encoding.UTF8.GetBytes(stdin)), TerminalInfo.None, CancellationToken.None, args);

    public async Task<CliResult> RunAsync(Stream stdin, TerminalInfo terminal, CancellationToken cancellation, params string[] args)
    {
        using var stdout = new MemoryStream();
        using var stderr = new StringWriter();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        deadline.CancelAfter(TimeSpan.FromSeconds(120));
        int exit = await BrookCli.RunAsync(args, stdin, stdout, stderr, new CliEnvironment(_environment), terminal, deadline.Token);
        return new CliResult(exit, Encoding.UTF8.GetString(stdout.ToArray()), stderr.ToString());
    }

    /// <summary>Runs a command whose output is read while it runs (consume that follows), into <paramref name="stdout"/>.</summary>
    public Task<int> StartAsync(Stream stdout, TextWriter stderr, CancellationToken cancellation, params string[] args) =>
        BrookCli.RunAsync(args, new MemoryStream(), stdout, stderr, new CliEnvironment(_environment), TerminalInfo.None, cancellation);

    public async ValueTask DisposeAsync()
    {
        await Broker.DisposeAsync();
        if (Directory.Exists(ConfigHome))
        {
            Directory.Delete(ConfigHome, recursive: true);
        }
    }
}
