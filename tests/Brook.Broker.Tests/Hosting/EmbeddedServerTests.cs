using System.Net;
using System.Net.Sockets;
using Brook.Broker.Hosting;
using Brook.Broker.Tests.Support;

namespace Brook.Broker.Tests.Hosting;

public sealed class EmbeddedServerTests
{
    [Fact]
    public async Task An_embedded_server_starts_on_ephemeral_ports_and_stops_when_disposed()
    {
        var server = await TestServer.StartAsync(new TestDispatcher());
        IPEndPoint kafka = server.Server.KafkaEndPoint;

        Assert.NotEqual(0, kafka.Port);
        Assert.NotEqual(0, server.Server.AdminEndPoint!.Port);
        Assert.True(server.Server.IsReady);
        Assert.True(Directory.Exists(server.DataDirectory));
        Assert.Equal(new DnsEndPoint("127.0.0.1", kafka.Port), server.Server.AdvertisedKafkaAddress);
        using (var client = await server.ConnectAsync())
        {
            await client.SendAsync(RawKafkaClient.Frame(18, 3, 1));
            Assert.Equal(1, (await client.ReceiveResponseAsync()).CorrelationId);
        }

        await server.DisposeAsync();

        Assert.Equal(BrookServerState.Stopped, server.Server.State);
        using var refused = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await Assert.ThrowsAsync<SocketException>(async () => await refused.ConnectAsync(kafka));
    }

    [Fact]
    public async Task The_advertised_address_takes_the_bound_port_when_it_gives_none()
    {
        await using var server = await TestServer.StartAsync(new TestDispatcher(), o => o.AdvertisedKafkaAddress = new DnsEndPoint("broker.example", 0));

        Assert.Equal(new DnsEndPoint("broker.example", server.Server.KafkaEndPoint.Port), server.Server.AdvertisedKafkaAddress);
    }

    [Fact]
    public async Task Starting_on_a_port_in_use_fails_and_leaves_nothing_listening()
    {
        await using var first = await TestServer.StartAsync(new TestDispatcher());

        await Assert.ThrowsAnyAsync<IOException>(() => TestServer.StartAsync(new TestDispatcher(), o => o.KafkaListener = first.Server.KafkaEndPoint));

        Assert.True(first.Server.IsReady);
    }

    [Fact]
    public async Task Shutdown_answers_requests_in_flight_and_reports_not_ready_meanwhile()
    {
        var dispatcher = new TestDispatcher { Hold = true };
        var server = await TestServer.StartAsync(dispatcher);
        using var http = new HttpClient { BaseAddress = server.AdminUri };
        using var client = await server.ConnectAsync();
        await client.SendAsync(RawKafkaClient.Frame(0, 9, 77));
        await Eventually.True(() => dispatcher.Received == 1, "the request is being served");

        Task stopping = server.DisposeAsync().AsTask();
        await Eventually.True(() => server.Server.State == BrookServerState.Stopping, "the server is stopping");
        HttpResponseMessage ready = await http.GetAsync(new Uri("/v1/status/ready", UriKind.Relative));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.False(stopping.IsCompleted);
        dispatcher.HeldRequests[0].Release();

        Assert.Equal(77, (await client.ReceiveResponseAsync()).CorrelationId);
        await stopping.WaitAsync(Eventually.Deadline);
        Assert.True(await client.IsClosedByServerAsync());
        Assert.Equal(BrookServerState.Stopped, server.Server.State);
    }

    [Fact]
    public async Task Shutdown_aborts_connections_whose_requests_outlast_the_timeout()
    {
        var time = new ManualTimeProvider();
        var dispatcher = new TestDispatcher { Hold = true };
        var server = await TestServer.StartAsync(dispatcher, o =>
        {
            o.TimeProvider = time;
            o.ShutdownTimeout = TimeSpan.FromSeconds(5);
        });
        using var client = await server.ConnectAsync();
        await client.SendAsync(RawKafkaClient.Frame(0, 9, 1));
        await Eventually.True(() => dispatcher.Received == 1, "the request is being served");

        Task stopping = server.DisposeAsync().AsTask();
        await Eventually.True(() => server.Server.State == BrookServerState.Stopping, "the server is stopping");
        time.Advance(TimeSpan.FromSeconds(6));

        Assert.True(await client.IsClosedByServerAsync());
        dispatcher.HeldRequests[0].Release();
        await stopping.WaitAsync(Eventually.Deadline);
    }
}
