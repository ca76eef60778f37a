using Brook.Protocol.Messages;
using Brook.Protocol.Primitives;

namespace Brook.Broker.Tests.Handlers;

/// <summary>
/// Fetches whose record slices leave by sendfile (every slice, however small): the bytes that
/// arrive are exactly the stored batches, across segments, at the classic, compact and topic-id
/// versions, and other responses pipelined on the same connection come in request order, whole.
/// </summary>
public sealed class SendFileFetchTests
{
    private const int Partitions = 3;
    private const int BatchesEach = 7;

    [Theory]
    [InlineData(11)] // classic lengths
    [InlineData(12)] // compact lengths
    [InlineData(16)] // topics by id
    public async Task Fetching_partition_by_partition_across_segments_returns_exactly_the_stored_batches(short version)
    {
        await using var broker = await BrokerUnderTest.StartAsync(options => options.Network.SendFileMinBytes = 1);
        using var client = await broker.ConnectAsync();
        (Uuid topicId, List<byte[]>[] produced) = await CreateAndFillAsync(client, "segments");

        // A small partition limit makes each fetch take one or two batches, so the slices of one
        // response come from different segments and every segment boundary is crossed.
        var fetched = new List<byte>[Partitions];
        long[] next = new long[Partitions];
        for (int p = 0; p < Partitions; p++)
        {
            fetched[p] = [];
        }
        for (int round = 0; round < 4 * BatchesEach && next.Any(offset => offset < BatchesEach * LargeFetchTests.RecordsPerBatch); round++)
        {
            var response = await client.SendAsync<FetchResponse>(FetchFrom("segments", topicId, next, partitionMaxBytes: 150_000), version);
            foreach (FetchResponse.PartitionData result in response.Responses.Single().Partitions)
            {
                Assert.Equal(0, result.ErrorCode);
                if (result.Records is { Length: > 0 } records)
                {
                    fetched[result.PartitionIndex].AddRange(records.ToArray());
                    next[result.PartitionIndex] = Requests.RecordsOf(result)[^1].Offset + 1;
                }
            }
        }

        for (int p = 0; p < Partitions; p++)
        {
            LargeFetchTests.AssertSameBatches(produced[p], [.. fetched[p]]);
        }
    }

    [Fact]
    public async Task Pipelined_fetches_and_other_requests_are_answered_whole_and_in_request_order()
    {
        await using var broker = await BrokerUnderTest.StartAsync(options => options.Network.SendFileMinBytes = 1);
        using var client = await broker.ConnectAsync();
        (Uuid topicId, List<byte[]>[] produced) = await CreateAndFillAsync(client, "pipelined");

        var sent = new List<(int CorrelationId, ApiKey Key)>();
        for (int i = 0; i < 12; i++)
        {
            long[] from = [.. Enumerable.Range(0, Partitions).Select(p => (long)((i + p) % BatchesEach * LargeFetchTests.RecordsPerBatch))];
            sent.Add((await client.SendOnlyAsync(FetchFrom("pipelined", topicId, from, partitionMaxBytes: 10 * 1024 * 1024), 12), ApiKey.Fetch));
            sent.Add((await client.SendOnlyAsync(Requests.Metadata("pipelined"), 12), ApiKey.Metadata));
            sent.Add((await client.SendOnlyAsync(new ApiVersionsRequest { ClientSoftwareName = "sendfile-tests", ClientSoftwareVersion = "1" }, 3), ApiKey.ApiVersions));
        }

        for (int i = 0; i < sent.Count; i++)
        {
            (int correlationId, ApiKey key) = sent[i];
            switch (key)
            {
                case ApiKey.Fetch:
                    var fetch = await client.ReceiveAsync<FetchResponse>(key, 12, correlationId);
                    foreach (FetchResponse.PartitionData result in fetch.Responses.Single().Partitions)
                    {
                        int firstBatch = (i / 3 + result.PartitionIndex) % BatchesEach;
                        AssertBatchesFrom(produced[result.PartitionIndex], firstBatch, result.Records!.Value.ToArray());
                    }
                    break;
                case ApiKey.Metadata:
                    var metadata = await client.ReceiveAsync<MetadataResponse>(key, 12, correlationId);
                    Assert.Equal(Partitions, metadata.Topics.Single().Partitions.Count);
                    break;
                default:
                    var versions = await client.ReceiveAsync<ApiVersionsResponse>(key, 3, correlationId);
                    Assert.Equal(0, versions.ErrorCode);
                    break;
            }
        }
    }

    /// <summary>The fetched bytes are one or more whole produced batches from <paramref name="first"/> on (a fetch stops at its segment's end).</summary>
    private static void AssertBatchesFrom(List<byte[]> produced, int first, byte[] fetched)
    {
        int count = 0;
        for (int length = 0; length < fetched.Length; count++)
        {
            Assert.True(first + count < produced.Count, $"fetched {fetched.Length} bytes, more than the batches from {first} on");
            length += produced[first + count].Length;
        }
        Assert.True(count > 0, "the fetch returned no records");
        LargeFetchTests.AssertSameBatches(produced.GetRange(first, count), fetched);
    }

    /// <summary>A topic whose segments hold two batches each (about 100 KB a batch), filled with known batches.</summary>
    private static async Task<(Uuid TopicId, List<byte[]>[] Produced)> CreateAndFillAsync(KafkaTestClient client, string topic)
    {
        var created = await client.SendAsync<CreateTopicsResponse>(Requests.CreateTopic(topic, Partitions, configs: ("segment.bytes", "250000")), 7);
        Assert.Equal(0, created.Topics[0].ErrorCode);
        var produced = new List<byte[]>[Partitions];
        for (int p = 0; p < Partitions; p++)
        {
            produced[p] = [];
            for (int b = 0; b < BatchesEach; b++)
            {
                byte[] batch = LargeFetchTests.BatchOf(p, b);
                produced[p].Add(batch);
                var ack = await client.SendAsync<ProduceResponse>(Requests.Produce(topic, p, batch), 9);
                Assert.Equal(0, ack.Responses[0].PartitionResponses[0].ErrorCode);
            }
        }
        return (created.Topics[0].TopicId, produced);
    }

    private static FetchRequest FetchFrom(string topic, Uuid topicId, long[] offsets, int partitionMaxBytes) => new()
    {
        MaxWaitMs = 0,
        MinBytes = 1,
        MaxBytes = 50 * 1024 * 1024,
        IsolationLevel = 0,
        Topics = [new FetchRequest.FetchTopic
        {
            Topic = topic,
            TopicId = topicId,
            Partitions = [.. offsets.Select((offset, p) => new FetchRequest.FetchPartition { Partition = p, FetchOffset = offset, PartitionMaxBytes = partitionMaxBytes })],
        }],
    };
}
