using System.Diagnostics;
using Brook.Cli.Tests.Support;

namespace Brook.Cli.Tests;

/// <summary>The built <c>brook</c> binary as a separate process: exit codes, streams and environment as a shell sees them.</summary>
public sealed class BinaryTests
{
    private static async Task<CliResult> RunBinaryAsync(string? stdin, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "brook.dll"));
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        foreach ((string key, string value) in environment)
        {
            start.Environment[key] = value;
        }
        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }
        process.StandardInput.Close();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(deadline.Token);
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    [Fact]
    public async Task The_binary_produces_and_consumes_through_pipes_with_brokers_from_the_environment()
    {
        await using CliHarness cli = await CliHarness.StartAsync();
        var environment = new Dictionary<string, string> { ["BROOK_BROKERS"] = cli.Broker.BootstrapServers, ["XDG_CONFIG_HOME"] = cli.ConfigHome };

        CliResult created = await RunBinaryAsync(null, environment, "topic", "create", "piped", "-p", "1");
        CliResult produced = await RunBinaryAsync("one\ntwo\n", environment, "topic", "produce", "piped");
        CliResult consumed = await RunBinaryAsync(null, environment, "topic", "consume", "piped", "-o", "start:end", "-f", "%v\\n");
        CliResult listed = await RunBinaryAsync(null, environment, "topic", "list", "--format", "json");

        created.Ok();
        produced.Ok();
        Assert.Equal("one\ntwo\n", consumed.Ok().Stdout);
        Assert.Equal("piped", listed.Ok().Json[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task The_binary_exits_with_2_on_usage_errors_and_1_when_the_broker_is_unreachable()
    {
        var environment = new Dictionary<string, string> { ["BROOK_BROKERS"] = $"127.0.0.1:{Brook.Client.Tests.Support.FreePort.Find()}" };

        CliResult usage = await RunBinaryAsync(null, environment, "topic", "nope");
        CliResult unreachable = await RunBinaryAsync(null, environment, "cluster", "info");

        Assert.Equal(2, usage.ExitCode);
        Assert.Equal(1, unreachable.ExitCode);
        Assert.Contains("is `brook start` running?", unreachable.Stderr, StringComparison.Ordinal);
        Assert.Empty(unreachable.Stdout);
    }
}
