using Brook.Broker.Tests.Support;

namespace Brook.Broker.Tests.Network;

/// <summary>
/// Responses that mix buffer bytes and file slices, written straight to the socket (slices by
/// sendfile, or copied below the threshold) or through Kestrel's pipe: every byte arrives in
/// request order, and a slice its file lost closes only its own connection.
/// </summary>
public sealed class SendFileTests
{
    [Theory]
    [InlineData(true, 1)] // every slice by sendfile
    [InlineData(true, 64 * 1024)] // small slices copied, large ones by sendfile
    [InlineData(false, 64 * 1024)] // through the pipe
    public async Task Pipelined_responses_of_buffers_and_file_slices_arrive_byte_for_byte_in_request_order(bool sendFile, int sendFileMinBytes)
    {
        using var dispatcher = new FileSliceDispatcher();
        await using var server = await StartAsync(dispatcher, sendFile, sendFileMinBytes);
        using var client = await server.ConnectAsync();
        const int requests = 40;

        await client.SendAsync([.. Enumerable.Range(1, requests).Select(id => RawKafkaClient.Frame(1, 12, id))]);

        for (int id = 1; id <= requests; id++)
        {
            byte[]? frame = await client.ReceiveFrameAsync();
            Assert.NotNull(frame);
            byte[] expected = dispatcher.Expected(id);
            Assert.Equal(expected.Length, frame.Length);
            int differsAt = expected.AsSpan().CommonPrefixLength(frame);
            Assert.True(differsAt == expected.Length, $"response {id} differs from byte {differsAt} of {expected.Length}");
        }
        await Eventually.True(() => dispatcher.Outstanding == 0, "every slice is released once written");
        // Every slice goes by sendfile only when the threshold is one byte and sendfile is on.
        Assert.Equal(sendFile && sendFileMinBytes == 1, dispatcher.CopiedBytes == 0);
    }

    [Theory]
    [InlineData(true, 1)]
    [InlineData(false, 64 * 1024)]
    public async Task A_slice_cut_from_its_file_before_it_is_sent_closes_only_that_connection(bool sendFile, int sendFileMinBytes)
    {
        using var dispatcher = new FileSliceDispatcher();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        dispatcher.Held[2] = release; // request 2 (plan: a slice between buffer bytes)
        await using var server = await StartAsync(dispatcher, sendFile, sendFileMinBytes);
        using var victim = await server.ConnectAsync();
        using var bystander = await server.ConnectAsync();

        await victim.SendAsync(RawKafkaClient.Frame(1, 12, 10), RawKafkaClient.Frame(1, 12, 2));
        Assert.Equal(dispatcher.Expected(10), await victim.ReceiveFrameAsync());
        dispatcher.Truncate(0);
        release.SetResult();

        Assert.Null(await victim.ReceiveFrameAsync());
        Assert.True(await victim.IsClosedByServerAsync());
        await bystander.SendAsync(RawKafkaClient.Frame(1, 12, 5), RawKafkaClient.Frame(1, 12, 6));
        Assert.Equal(dispatcher.Expected(5), await bystander.ReceiveFrameAsync());
        Assert.Equal(dispatcher.Expected(6), await bystander.ReceiveFrameAsync());
        await Eventually.True(() => dispatcher.Outstanding == 0, "the lost slice is released too");
    }

    private static Task<TestServer> StartAsync(FileSliceDispatcher dispatcher, bool sendFile, int sendFileMinBytes) =>
        TestServer.StartAsync(dispatcher, options =>
        {
            options.Network.SendFile = sendFile;
            options.Network.SendFileMinBytes = sendFileMinBytes;
        });
}
