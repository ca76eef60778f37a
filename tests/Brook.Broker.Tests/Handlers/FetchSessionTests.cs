using Brook.Protocol.Errors;
using Brook.Protocol.Messages;

namespace Brook.Broker.Tests.Handlers;

public sealed class FetchSessionTests
{
    [Fact]
    public async Task A_session_sends_every_partition_first_then_only_partitions_with_news()
    {
        await using var broker = await BrokerUnderTest.StartAsync();
        using var client = await broker.ConnectAsync();
        await client.CreateTopicAsync("s", partitions: 2);
        await client.SendAsync<ProduceResponse>(Requests.Produce("s", 0, Requests.Batch(2)), 9);
        FetchRequest opening = TwoPartitions(sessionId: 0, epoch: 0);

        var opened = await client.SendAsync<FetchResponse>(opening, 12);
        // The client moved partition 0 past what it read; partition 1 is unchanged and not sent.
        var quiet = await client.SendAsync<FetchResponse>(new FetchRequest
        {
            SessionId = opened.SessionId,
            SessionEpoch = 1,
            MaxBytes = 1 << 20,
            Topics = [new() { Topic = "s", Partitions = [new() { Partition = 0, FetchOffset = 2, PartitionMaxBytes = 1 << 20 }] }],
        }, 12);
        await client.SendAsync<ProduceResponse>(Requests.Produce("s", 1, Requests.Batch(3)), 9);
        var news = await client.SendAsync<FetchResponse>(new FetchRequest { SessionId = opened.SessionId, SessionEpoch = 2, MaxBytes = 1 << 20 }, 12);

        Assert.NotEqual(0, opened.SessionId);
        Assert.Equal([0, 1], opened.Responses.Single().Partitions.Select(p => p.PartitionIndex));
        Assert.Equal(2, Requests.RecordsOf(opened.Responses[0].Partitions[0]).Count);
        Assert.Empty(quiet.Responses);
        var changed = Assert.Single(Assert.Single(news.Responses).Partitions);
        Assert.Equal((1, 3L), (changed.PartitionIndex, changed.HighWatermark));
        Assert.Equal(3, Requests.RecordsOf(changed).Count);
    }

    [Fact]
    public async Task A_wrong_epoch_or_unknown_session_is_refused_and_forgotten_partitions_are_dropped()
    {
        await using var broker = await BrokerUnderTest.StartAsync();
        using var client = await broker.ConnectAsync();
        await client.CreateTopicAsync("s", partitions: 2);
        var opened = await client.SendAsync<FetchResponse>(TwoPartitions(sessionId: 0, epoch: 0), 12);

        var wrongEpoch = await client.SendAsync<FetchResponse>(new FetchRequest { SessionId = opened.SessionId, SessionEpoch = 5 }, 12);
        var unknown = await client.SendAsync<FetchResponse>(new FetchRequest { SessionId = opened.SessionId + 1, SessionEpoch = 1 }, 12);
        await client.SendAsync<FetchResponse>(new FetchRequest
        {
            SessionId = opened.SessionId,
            SessionEpoch = 1,
            ForgottenTopicsData = [new FetchRequest.ForgottenTopic { Topic = "s", Partitions = [0] }],
        }, 12);
        await client.SendAsync<ProduceResponse>(Requests.Produce("s", 0, Requests.Batch(1)), 9);
        await client.SendAsync<ProduceResponse>(Requests.Produce("s", 1, Requests.Batch(1)), 9);
        var after = await client.SendAsync<FetchResponse>(new FetchRequest { SessionId = opened.SessionId, SessionEpoch = 2, MaxBytes = 1 << 20 }, 12);

        Assert.Equal((short)ErrorCode.InvalidFetchSessionEpoch, wrongEpoch.ErrorCode);
        Assert.Equal((short)ErrorCode.FetchSessionIdNotFound, unknown.ErrorCode);
        Assert.Equal(1, Assert.Single(Assert.Single(after.Responses).Partitions).PartitionIndex);
    }

    private static FetchRequest TwoPartitions(int sessionId, int epoch) => new()
    {
        SessionId = sessionId,
        SessionEpoch = epoch,
        MaxBytes = 1 << 20,
        Topics =
        [
            new FetchRequest.FetchTopic
            {
                Topic = "s",
                Partitions =
                [
                    new FetchRequest.FetchPartition { Partition = 0, FetchOffset = 0, PartitionMaxBytes = 1 << 20 },
                    new FetchRequest.FetchPartition { Partition = 1, FetchOffset = 0, PartitionMaxBytes = 1 << 20 },
                ],
            },
        ],
    };
}
