using System.Net;
using Brook.Broker.Hosting;

namespace Brook.Interop.Tests.Support;

/// <summary>A broker in this process on a free loopback port with a temporary data directory.</summary>
public sealed class EmbeddedBroker : IAsyncDisposable
{
    private readonly string _dataDirectory;

    private EmbeddedBroker(BrookServer server, string dataDirectory)
    {
        Server = server;
        _dataDirectory = dataDirectory;
    }

    public BrookServer Server { get; }

    public string Bootstrap => $"127.0.0.1:{Server.KafkaEndPoint.Port}";

    public static async Task<EmbeddedBroker> StartAsync(Action<BrookServerOptions>? configure = null)
    {
        string dataDirectory = Path.Combine(Path.GetTempPath(), "brook-interop-" + Guid.NewGuid().ToString("N"));
        var options = new BrookServerOptions
        {
            DataDirectory = dataDirectory,
            KafkaListener = new IPEndPoint(IPAddress.Loopback, 0),
            AdminListener = null,
        };
        configure?.Invoke(options);
        return new EmbeddedBroker(await BrookServer.StartAsync(options), dataDirectory);
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }
}
