using System.Buffers.Binary;
using Brook.Broker.Network;
using Brook.Broker.Tests.Support;

namespace Brook.Broker.Tests.Network;

public sealed class BadFrameTests
{
    private const int MaxBytes = 1024;

    [Theory]
    [InlineData(MaxBytes + 1)]
    [InlineData(int.MaxValue)]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    [InlineData(0)]
    [InlineData(7)]
    public async Task A_frame_with_an_unacceptable_size_closes_only_that_connection(int declaredSize)
    {
        var dispatcher = new TestDispatcher();
        await using var server = await TestServer.StartAsync(dispatcher, o => o.Network.SocketRequestMaxBytes = MaxBytes);
        using var bystander = await server.ConnectAsync();
        using var offender = await server.ConnectAsync();
        var sizePrefix = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(sizePrefix, declaredSize);

        await offender.SendAsync(sizePrefix);

        Assert.True(await offender.IsClosedByServerAsync());
        await bystander.SendAsync(RawKafkaClient.Frame(18, 3, 5));
        Assert.Equal(5, (await bystander.ReceiveResponseAsync()).CorrelationId);
        Assert.Equal(1, dispatcher.Received);
        await Eventually.True(() => server.Server.Metrics.ConnectionsClosed(ConnectionCloseReason.ProtocolError).Value == 1, "the close is counted as ProtocolError");
    }

    [Fact]
    public async Task A_frame_of_exactly_socket_request_max_bytes_is_served()
    {
        var dispatcher = new TestDispatcher();
        await using var server = await TestServer.StartAsync(dispatcher, o => o.Network.SocketRequestMaxBytes = MaxBytes);
        using var client = await server.ConnectAsync();

        await client.SendAsync(RawKafkaClient.Frame(0, 9, 3, new byte[MaxBytes - 8]));

        var (correlationId, body) = await client.ReceiveResponseAsync();
        Assert.Equal(3, correlationId);
        Assert.Equal(MaxBytes - 8, body.Length);
    }

    [Fact]
    public async Task A_client_that_disconnects_in_the_middle_of_a_frame_does_not_disturb_the_server()
    {
        var dispatcher = new TestDispatcher();
        await using var server = await TestServer.StartAsync(dispatcher);
        using var bystander = await server.ConnectAsync();
        using (var truncating = await server.ConnectAsync())
        {
            byte[] frame = RawKafkaClient.Frame(0, 9, 1, new byte[100]);
            await truncating.SendAsync(frame[..40]);
            await Eventually.True(() => server.Server.OpenKafkaConnections == 2, "both connections are open");
        }

        await Eventually.True(() => server.Server.OpenKafkaConnections == 1, "the truncating connection is gone");
        await bystander.SendAsync(RawKafkaClient.Frame(18, 3, 9));
        Assert.Equal(9, (await bystander.ReceiveResponseAsync()).CorrelationId);
        Assert.Equal(1, dispatcher.Received);
    }

    [Fact]
    public async Task Random_bytes_do_not_disturb_the_server()
    {
        var dispatcher = new TestDispatcher();
        await using var server = await TestServer.StartAsync(dispatcher, o => o.Network.SocketRequestMaxBytes = MaxBytes);
        using var bystander = await server.ConnectAsync();
        var random = new Random(20261121);
        for (int round = 0; round < 20; round++)
        {
            var garbage = new byte[random.Next(1, 4096)];
            random.NextBytes(garbage);
            using var noisy = await server.ConnectAsync();
            await noisy.SendAsync(garbage);
        }

        await Eventually.True(() => server.Server.OpenKafkaConnections == 1, "every noisy connection is gone");
        await bystander.SendAsync(RawKafkaClient.Frame(18, 3, 11));
        Assert.Equal(11, (await bystander.ReceiveResponseAsync()).CorrelationId);
    }

    [Fact]
    public async Task A_dispatcher_that_throws_closes_that_connection_and_others_are_served()
    {
        var dispatcher = new TestDispatcher { ThrowFor = 666 };
        await using var server = await TestServer.StartAsync(dispatcher);
        using var bystander = await server.ConnectAsync();
        using var failing = await server.ConnectAsync();

        await failing.SendAsync(RawKafkaClient.Frame(3, 12, 666));

        Assert.True(await failing.IsClosedByServerAsync());
        await bystander.SendAsync(RawKafkaClient.Frame(3, 12, 1));
        Assert.Equal(1, (await bystander.ReceiveResponseAsync()).CorrelationId);
        await Eventually.True(() => server.Server.Metrics.ConnectionsClosed(ConnectionCloseReason.Error).Value == 1, "the close is counted as Error");
    }

    [Fact]
    public async Task The_default_dispatcher_closes_the_connection_instead_of_answering()
    {
        await using var server = await TestServer.StartAsync(dispatcher: null);
        using var client = await server.ConnectAsync();

        await client.SendAsync(RawKafkaClient.Frame(18, 3, 1));

        Assert.True(await client.IsClosedByServerAsync());
        await Eventually.True(() => server.Server.Metrics.ConnectionsClosed(ConnectionCloseReason.Dispatcher).Value == 1, "the close is counted as Dispatcher");
    }
}
