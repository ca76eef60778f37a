using System.Net;
using Brook.Broker.Hosting;
using Brook.Broker.Network;
using Brook.Http.Admin;

namespace Brook.Broker.Tests.Support;

/// <summary>An embedded server on ephemeral loopback ports and a temporary data directory.</summary>
public sealed class TestServer : IAsyncDisposable
{
    private TestServer(BrookServer server, string dataDirectory)
    {
        Server = server;
        DataDirectory = dataDirectory;
    }

    public BrookServer Server { get; }

    public string DataDirectory { get; }

    public Uri AdminUri => new($"http://{Server.AdminEndPoint}");

    public static async Task<TestServer> StartAsync(IKafkaRequestDispatcher? dispatcher, Action<BrookServerOptions>? configure = null)
    {
        string dataDirectory = Path.Combine(Path.GetTempPath(), "brook-test-" + Guid.NewGuid().ToString("N"));
        var options = new BrookServerOptions
        {
            DataDirectory = dataDirectory,
            KafkaListener = new IPEndPoint(IPAddress.Loopback, 0),
            AdminListener = new IPEndPoint(IPAddress.Loopback, 0),
            DispatcherFactory = dispatcher is null ? null : _ => dispatcher,
        }.WithAdminApi();
        configure?.Invoke(options);
        return new TestServer(await BrookServer.StartAsync(options), dataDirectory);
    }

    public Task<RawKafkaClient> ConnectAsync() => RawKafkaClient.ConnectAsync(Server.KafkaEndPoint);

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        if (Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }
}
