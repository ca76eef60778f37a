using Brook.Broker.Tests.Support;

namespace Brook.Broker.Tests.Network;

public sealed class PipeliningTests
{
    [Fact]
    public async Task Pipelined_requests_are_answered_in_request_order_when_the_dispatcher_completes_them_in_reverse()
    {
        var dispatcher = new TestDispatcher { Hold = true };
        await using var server = await TestServer.StartAsync(dispatcher);
        using var client = await server.ConnectAsync();

        await client.SendAsync([.. Enumerable.Range(1, 5).Select(id => RawKafkaClient.Frame(18, 3, id, [(byte)id]))]);
        await Eventually.True(() => dispatcher.Received == 5, "all five requests reach the dispatcher");
        foreach (TestDispatcher.HeldRequest held in dispatcher.HeldRequests.Reverse())
        {
            held.Release();
        }

        for (int expected = 1; expected <= 5; expected++)
        {
            var (correlationId, body) = await client.ReceiveResponseAsync();
            Assert.Equal(expected, correlationId);
            Assert.Equal([(byte)expected], body);
        }
    }

    [Fact]
    public async Task A_request_answered_with_no_response_sends_nothing_and_the_next_response_still_comes()
    {
        var dispatcher = new TestDispatcher { NoResponseFor = 1 };
        await using var server = await TestServer.StartAsync(dispatcher);
        using var client = await server.ConnectAsync();

        await client.SendAsync(RawKafkaClient.Frame(0, 9, 1), RawKafkaClient.Frame(0, 9, 2));

        var (correlationId, _) = await client.ReceiveResponseAsync();
        Assert.Equal(2, correlationId);
    }

    [Fact]
    public async Task A_request_split_across_many_writes_is_reassembled()
    {
        var dispatcher = new TestDispatcher();
        await using var server = await TestServer.StartAsync(dispatcher);
        using var client = await server.ConnectAsync();
        byte[] body = [.. Enumerable.Range(0, 3000).Select(i => (byte)i)];
        byte[] frame = RawKafkaClient.Frame(1, 16, 42, body);

        for (int offset = 0; offset < frame.Length; offset += 7)
        {
            await client.SendAsync(frame[offset..Math.Min(offset + 7, frame.Length)]);
        }

        var (correlationId, echoed) = await client.ReceiveResponseAsync();
        Assert.Equal(42, correlationId);
        Assert.Equal(body, echoed);
    }

    [Fact]
    public async Task A_request_larger_than_the_transport_read_buffer_is_received_whole()
    {
        // Kestrel pauses a socket at 1 MiB of input the reader has not examined; a frame larger
        // than that completes only because the read loop marks incomplete frames as examined.
        var dispatcher = new TestDispatcher();
        await using var server = await TestServer.StartAsync(dispatcher);
        using var client = await server.ConnectAsync();
        byte[] body = new byte[8 * 1024 * 1024];
        new Random(7).NextBytes(body);

        await client.SendAsync(RawKafkaClient.Frame(0, 9, 1, body), RawKafkaClient.Frame(0, 9, 2, [9]));

        var (first, echoed) = await client.ReceiveResponseAsync();
        Assert.Equal(1, first);
        Assert.Equal(body, echoed);
        var (second, tiny) = await client.ReceiveResponseAsync();
        Assert.Equal(2, second);
        Assert.Equal([9], tiny);
    }

    [Fact]
    public async Task A_client_that_goes_away_has_its_pending_requests_cancelled_and_its_connection_released()
    {
        var dispatcher = new TestDispatcher { Hold = true };
        await using var server = await TestServer.StartAsync(dispatcher);
        using var client = await server.ConnectAsync();
        await client.SendAsync(RawKafkaClient.Frame(1, 16, 7), RawKafkaClient.Frame(1, 16, 8));
        await Eventually.True(() => dispatcher.Received == 2, "both requests are being served");

        client.ShutdownSend();

        await Eventually.True(() => dispatcher.Cancelled == 2, "both pending requests are cancelled");
        await Eventually.True(() => server.Server.OpenKafkaConnections == 0, "the connection is released");
        Assert.True(await client.IsClosedByServerAsync());
    }
}
