using System.Net;
using Brook.Broker.Hosting;

namespace Brook.Client.Tests.Support;

/// <summary>
/// An in-process broker on an ephemeral port over a temp data directory. A restart stops it and
/// starts a new one over the same data on the same port, so clients reconnect to the same address.
/// </summary>
public sealed class EmbeddedBroker : IAsyncDisposable
{
    private BrookServer _server;

    private EmbeddedBroker(string dataDirectory, BrookServer server)
    {
        DataDirectory = dataDirectory;
        _server = server;
        Port = server.KafkaEndPoint.Port;
    }

    public string DataDirectory { get; }

    public int Port { get; }

    public string BootstrapServers => $"127.0.0.1:{Port}";

    /// <param name="configure">Adjusts the server's options (group timeouts in the group tests).</param>
    public static async Task<EmbeddedBroker> StartAsync(Action<BrookServerOptions>? configure = null)
    {
        string data = Path.Combine(Path.GetTempPath(), "brook-client-" + Guid.NewGuid().ToString("N"));
        BrookServerOptions options = Options(data, 0);
        configure?.Invoke(options);
        BrookServer server = await BrookServer.StartAsync(options);
        return new EmbeddedBroker(data, server);
    }

    public KafkaClientOptions ClientOptions() => new() { BootstrapServers = BootstrapServers };

    public async Task StopAsync() => await _server.DisposeAsync();

    /// <summary>Starts a new server over the same data and port (after <see cref="StopAsync"/>).</summary>
    public async Task StartAgainAsync()
    {
        _server = await BrookServer.StartAsync(Options(DataDirectory, Port));
    }

    private static BrookServerOptions Options(string dataDirectory, int port) => new()
    {
        DataDirectory = dataDirectory,
        KafkaListener = new IPEndPoint(IPAddress.Loopback, port),
        AdminListener = null,
    };

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        if (Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }
}
