using Brook.Broker.Tests.Support;

namespace Brook.Broker.Tests.Network;

public sealed class BackPressureTests
{
    [Fact]
    public async Task A_connection_at_its_in_flight_request_bound_is_not_read_until_a_request_completes()
    {
        const int Bound = 4;
        const int Sent = 10;
        var dispatcher = new TestDispatcher { Hold = true };
        await using var server = await TestServer.StartAsync(dispatcher, o => o.Network.MaxInFlightRequestsPerConnection = Bound);
        using var client = await server.ConnectAsync();

        await client.SendAsync([.. Enumerable.Range(1, Sent).Select(id => RawKafkaClient.Frame(0, 9, id))]);
        await Eventually.True(() => dispatcher.Received == Bound, "the dispatcher holds the first requests");

        // Each released request makes room for exactly one more; the rest stay unread meanwhile.
        for (int released = 0; released < Sent; released++)
        {
            dispatcher.HeldRequests[released].Release();
            Assert.Equal(released + 1, (await client.ReceiveResponseAsync()).CorrelationId);
            int expected = Math.Min(Sent, Bound + released + 1);
            await Eventually.True(() => dispatcher.Received == expected, $"{expected} requests reached the dispatcher");
        }
        Assert.Equal(Bound, dispatcher.MaxPending);
    }

    [Fact]
    public async Task A_connection_at_its_in_flight_byte_bound_is_not_read_until_a_request_completes()
    {
        const int Body = 1000;
        var dispatcher = new TestDispatcher { Hold = true };
        await using var server = await TestServer.StartAsync(dispatcher, o => o.Network.MaxInFlightBytesPerConnection = 2 * (Body + 8));
        using var client = await server.ConnectAsync();

        await client.SendAsync([.. Enumerable.Range(1, 5).Select(id => RawKafkaClient.Frame(0, 9, id, new byte[Body]))]);
        await Eventually.True(() => dispatcher.Received == 2, "the dispatcher holds two requests");
        for (int released = 0; released < 5; released++)
        {
            dispatcher.HeldRequests[released].Release();
            Assert.Equal(released + 1, (await client.ReceiveResponseAsync()).CorrelationId);
            int expected = Math.Min(5, released + 3);
            await Eventually.True(() => dispatcher.Received == expected, $"{expected} requests reached the dispatcher");
        }
        Assert.Equal(2, dispatcher.MaxPending);
    }
}
