using System.Net;
using Brook.Broker.Hosting;

namespace Brook.Broker.Tests.Handlers;

/// <summary>An embedded broker with the real Kafka dispatcher on an ephemeral port; restartable over the same data directory.</summary>
public sealed class BrokerUnderTest : IAsyncDisposable
{
    private readonly Action<BrookServerOptions>? _configure;

    private BrokerUnderTest(string dataDirectory, Action<BrookServerOptions>? configure)
    {
        DataDirectory = dataDirectory;
        _configure = configure;
    }

    public string DataDirectory { get; }

    public BrookServer Server { get; private set; } = null!;

    public static async Task<BrokerUnderTest> StartAsync(Action<BrookServerOptions>? configure = null)
    {
        var broker = new BrokerUnderTest(Path.Combine(Path.GetTempPath(), "brook-handlers-" + Guid.NewGuid().ToString("N")), configure);
        await broker.StartServerAsync();
        return broker;
    }

    public Task<KafkaTestClient> ConnectAsync() => KafkaTestClient.ConnectAsync(Server.KafkaEndPoint);

    /// <summary>Stops the server cleanly and starts a new one over the same data.</summary>
    public async Task RestartAsync()
    {
        await Server.DisposeAsync();
        await StartServerAsync();
    }

    private async Task StartServerAsync()
    {
        var options = new BrookServerOptions
        {
            DataDirectory = DataDirectory,
            KafkaListener = new IPEndPoint(IPAddress.Loopback, 0),
            AdminListener = null,
        };
        _configure?.Invoke(options);
        Server = await BrookServer.StartAsync(options);
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        if (Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }
}
