using Brook.Client.Connections;
using Brook.Client.Tests.Support;
using Brook.Protocol.Messages;

namespace Brook.Client.Tests;

public sealed class ConnectionTests
{
    [Fact]
    public async Task Connecting_where_nothing_listens_names_the_address_and_suggests_brook_start()
    {
        int port = FreePort.Find();
        var options = new KafkaClientOptions { BootstrapServers = $"127.0.0.1:{port}" };

        var error = await Assert.ThrowsAsync<KafkaConnectionException>(() => KafkaConnection.ConnectAsync("127.0.0.1", port, options));

        Assert.Equal($"cannot reach 127.0.0.1:{port}: connection refused; is `brook start` running?", error.Message);
    }

    [Fact]
    public async Task A_cluster_without_a_reachable_bootstrap_server_fails_with_the_same_clear_error()
    {
        int port = FreePort.Find();
        await using var cluster = new KafkaCluster(new KafkaClientOptions { BootstrapServers = $"127.0.0.1:{port}" });

        var error = await Assert.ThrowsAsync<KafkaConnectionException>(() => cluster.GetMetadataAsync());

        Assert.Contains($"cannot reach 127.0.0.1:{port}: connection refused", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Versions_are_negotiated_as_the_lower_of_client_and_broker_maximum()
    {
        await using var broker = await EmbeddedBroker.StartAsync();
        await using var connection = await KafkaConnection.ConnectAsync("127.0.0.1", broker.Port, broker.ClientOptions());

        Assert.Equal((short)11, connection.VersionFor(ApiKey.Produce));
        Assert.Equal((short)12, connection.VersionFor(ApiKey.Fetch));
        Assert.False(connection.Versions.Supports(ApiKey.DescribeAcls));
        var error = Assert.Throws<UnsupportedApiException>(() => connection.VersionFor(ApiKey.DescribeAcls));
        Assert.Contains("does not serve DescribeAcls", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Many_pipelined_requests_each_get_their_own_response()
    {
        await using var broker = await EmbeddedBroker.StartAsync();
        await using var connection = await KafkaConnection.ConnectAsync("127.0.0.1", broker.Port, broker.ClientOptions());

        var sends = Enumerable.Range(0, 200)
            .Select(_ => connection.SendAsync<MetadataResponse>(new MetadataRequest { Topics = null, AllowAutoTopicCreation = false }))
            .ToArray();
        MetadataResponse[] responses = await Task.WhenAll(sends);

        Assert.All(responses, r => Assert.Single(r.Brokers));
        Assert.False(connection.IsClosed);
    }

    [Fact]
    public async Task A_stopped_broker_fails_pending_and_later_requests_with_a_connection_error()
    {
        await using var broker = await EmbeddedBroker.StartAsync();
        await using var connection = await KafkaConnection.ConnectAsync("127.0.0.1", broker.Port, broker.ClientOptions());
        await broker.StopAsync();

        await Assert.ThrowsAsync<KafkaConnectionException>(() => connection.SendAsync<MetadataResponse>(new MetadataRequest()));
        Assert.True(connection.IsClosed);
    }
}

public sealed class SilentBrokerTests
{
    [Fact]
    public async Task A_broker_that_never_answers_times_out_and_the_connection_is_dropped()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        Task<System.Net.Sockets.Socket> accepted = listener.AcceptSocketAsync();
        var options = new KafkaClientOptions { BootstrapServers = $"127.0.0.1:{port}", RequestTimeout = TimeSpan.FromMilliseconds(300) };

        var error = await Assert.ThrowsAsync<KafkaConnectionException>(() => KafkaConnection.ConnectAsync("127.0.0.1", port, options));

        Assert.Contains("ApiVersions", error.Message, StringComparison.Ordinal);
        Assert.Contains("got no response", error.Message, StringComparison.Ordinal);
        using System.Net.Sockets.Socket server = await accepted;
        byte[] buffer = new byte[4096];
        int read;
        // The client closed its side: the server reads the ApiVersions request, then end of stream.
        while ((read = await server.ReceiveAsync(buffer)) > 0)
        {
        }
        Assert.Equal(0, read);
    }

    [Fact]
    public async Task A_cancelled_request_throws_operation_cancelled()
    {
        await using var broker = await EmbeddedBroker.StartAsync();
        await using var connection = await KafkaConnection.ConnectAsync("127.0.0.1", broker.Port, broker.ClientOptions());
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => connection.SendAsync<MetadataResponse>(new MetadataRequest(), cancelled.Token));
    }
}
