using System.Diagnostics;
using System.Globalization;

namespace Brook.Interop.Tests.Support;

/// <summary>
/// <c>brook start</c> as a child process on a free port (it prints the port it bound), so a test can
/// kill it with SIGKILL and start another over the same data directory.
/// </summary>
public sealed class BrookProcess : IDisposable
{
    private const string KafkaLinePrefix = "kafka: ";
    private readonly Process _process;
    private readonly List<string> _output = [];

    private BrookProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string Bootstrap => $"127.0.0.1:{Port}";

    public static async Task<BrookProcess> StartAsync(string dataDirectory)
    {
        Process process = ChildProcess.Start("dotnet", [Path.Combine(AppContext.BaseDirectory, "brook.dll"), "start", "--data-dir", dataDirectory,
            "--kafka-listener", "127.0.0.1:0", "--admin-listener", "none"]);
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            while (await process.StandardOutput.ReadLineAsync(deadline.Token) is { } line)
            {
                if (line.StartsWith(KafkaLinePrefix, StringComparison.Ordinal))
                {
                    // "kafka: 127.0.0.1:PORT (advertised as ...)"
                    string bound = line[KafkaLinePrefix.Length..].Split(' ')[0];
                    int port = int.Parse(bound[(bound.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);
                    var broker = new BrookProcess(process, port);
                    _ = broker.DrainAsync();
                    return broker;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        process.Kill(entireProcessTree: true);
        process.Dispose();
        throw new InvalidOperationException("brook start did not print its Kafka address");
    }

    private async Task DrainAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            lock (_output)
            {
                _output.Add(line);
            }
        }
    }

    /// <summary>SIGKILL: no shutdown, no final flush or checkpoint.</summary>
    public async Task KillHardAsync()
    {
        _process.Kill(entireProcessTree: false);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(deadline.Token);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(30_000);
        }
        _process.Dispose();
    }
}
