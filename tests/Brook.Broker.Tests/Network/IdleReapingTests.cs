using Brook.Broker.Network;
using Brook.Broker.Tests.Support;

namespace Brook.Broker.Tests.Network;

public sealed class IdleReapingTests
{
    private static readonly TimeSpan MaxIdle = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task A_connection_idle_past_connections_max_idle_is_closed()
    {
        var time = new ManualTimeProvider();
        await using var server = await StartWithClockAsync(time, new TestDispatcher());
        using var client = await server.ConnectAsync();
        await Eventually.True(() => server.Server.OpenKafkaConnections == 1, "the connection is open");

        time.Advance(MaxIdle + TimeSpan.FromSeconds(1));

        Assert.True(await client.IsClosedByServerAsync());
        await Eventually.True(() => server.Server.Metrics.ConnectionsClosed(ConnectionCloseReason.Idle).Value == 1, "the close is counted as idle");
    }

    [Fact]
    public async Task Traffic_keeps_a_connection_from_being_reaped()
    {
        var time = new ManualTimeProvider();
        await using var server = await StartWithClockAsync(time, new TestDispatcher());
        using var client = await server.ConnectAsync();
        await Eventually.True(() => server.Server.OpenKafkaConnections == 1, "the connection is open");

        for (int round = 1; round <= 3; round++)
        {
            time.Advance(MaxIdle * 0.75);
            await client.SendAsync(RawKafkaClient.Frame(12, 4, round));
            Assert.Equal(round, (await client.ReceiveResponseAsync()).CorrelationId);
        }

        Assert.Equal(0, server.Server.Metrics.ConnectionsClosed(ConnectionCloseReason.Idle).Value);
        Assert.Equal(1, server.Server.OpenKafkaConnections);
    }

    [Fact]
    public async Task A_connection_waiting_on_a_slow_request_is_not_reaped()
    {
        var time = new ManualTimeProvider();
        var dispatcher = new TestDispatcher { Hold = true };
        await using var server = await StartWithClockAsync(time, dispatcher);
        using var client = await server.ConnectAsync();
        await client.SendAsync(RawKafkaClient.Frame(1, 16, 1));
        await Eventually.True(() => dispatcher.Received == 1, "the request is being served");

        time.Advance(MaxIdle * 3);
        dispatcher.HeldRequests[0].Release();

        Assert.Equal(1, (await client.ReceiveResponseAsync()).CorrelationId);
        Assert.Equal(0, server.Server.Metrics.ConnectionsClosed(ConnectionCloseReason.Idle).Value);
    }

    private static Task<TestServer> StartWithClockAsync(ManualTimeProvider time, TestDispatcher dispatcher) =>
        TestServer.StartAsync(dispatcher, o =>
        {
            o.TimeProvider = time;
            o.Network.ConnectionsMaxIdle = MaxIdle;
        });
}
