using Brook.Protocol.Errors;
using Brook.Protocol.Messages;
using Brook.Protocol.Records;

namespace Brook.Broker.Tests.Handlers;

public sealed class ProduceFetchTests
{
    [Theory]
    [InlineData(CompressionType.None)]
    [InlineData(CompressionType.Gzip)]
    [InlineData(CompressionType.Snappy)]
    [InlineData(CompressionType.Lz4)]
    [InlineData(CompressionType.Zstd)]
    public async Task Produced_batches_get_consecutive_offsets_and_are_fetched_back(CompressionType compression)
    {
        await using var broker = await BrokerUnderTest.StartAsync();
        using var client = await broker.ConnectAsync();
        await client.SendAsync<CreateTopicsResponse>(Requests.CreateTopic("t"), 7);

        var first = await client.SendAsync<ProduceResponse>(Requests.Produce("t", 0, Requests.Batch(3, compression: compression)), 11);
        var second = await client.SendAsync<ProduceResponse>(Requests.Produce("t", 0, Requests.Batch(2, compression: compression)), 11);
        var fetched = await client.SendAsync<FetchResponse>(Requests.Fetch("t", 0, 0), 12);

        Assert.Equal((0, 0L), (first.Responses[0].PartitionResponses[0].ErrorCode, first.Responses[0].PartitionResponses[0].BaseOffset));
        Assert.Equal(3L, second.Responses[0].PartitionResponses[0].BaseOffset);
        var partition = fetched.Responses[0].Partitions[0];
        Assert.Equal(5, partition.HighWatermark);
        Assert.Equal(5, partition.LastStableOffset);
        Assert.Equal([(0L, "k0", "v0"), (1, "k1", "v1"), (2, "k2", "v2"), (3, "k0", "v0"), (4, "k1", "v1")], Requests.RecordsOf(partition));
    }

    [Fact]
    public async Task A_batch_with_a_bad_crc_is_a_corrupt_message_and_is_not_stored()
    {
        await using var broker = await BrokerUnderTest.StartAsync();
        using var client = await broker.ConnectAsync();
        await client.CreateTopicAsync("t");
        byte[] batch = Requests.Batch(2);
        batch[^1] ^= 0xFF;

        var response = await client.SendAsync<ProduceResponse>(Requests.Produce("t", 0, batch), 9);
        var fetched = await client.SendAsync<FetchResponse>(Requests.Fetch("t", 0, 0), 12);

        Assert.Equal((short)ErrorCode.CorruptMessage, response.Responses[0].PartitionResponses[0].ErrorCode);
        Assert.Equal(0, fetched.Responses[0].Partitions[0].HighWatermark);
    }

    [Fact]
    public async Task Two_batches_in_one_partition_are_an_invalid_record()
    {
        await using var broker = await BrokerUnderTest.StartAsync();
        using var client = await broker.ConnectAsync();
        await client.CreateTopicAsync("t");

        var response = await client.SendAsync<ProduceResponse>(Requests.Produce("t", 0, [.. Requests.Batch(1), .. Requests.Batch(1)]), 9);

        Assert.Equal((short)ErrorCode.InvalidRecord, response.Responses[0].PartitionResponses[0].ErrorCode);
    }

    [Fact]
    public async Task A_batch_above_max_message_bytes_is_too_large()
    {
        await using var broker = await BrokerUnderTest.StartAsync();
        using var client = await broker.ConnectAsync();
        await client.SendAsync<CreateTopicsResponse>(Requests.CreateTopic("small", configs: ("max.message.bytes", "200")), 7);

        var response = await client.SendAsync<ProduceResponse>(Requests.Produce("small", 0, Requests.Batch(10, valueSize: 50)), 9);

        Assert.Equal((short)ErrorCode.MessageTooLarge, response.Responses[0].PartitionResponses[0].ErrorCode);
    }

    [Fact]
    public async Task Zstd_before_produce_v7_is_an_unsupported_compression_type()
    {
        await using var broker = await BrokerUnderTest.StartAsync();
        using var client = await broker.ConnectAsync();
        await client.CreateTopicAsync("t");

        var response = await client.SendAsync<ProduceResponse>(Requests.Produce("t", 0, Requests.Batch(1, compression: CompressionType.Zstd)), 6);

        Assert.Equal((short)ErrorCode.UnsupportedCompressionType, response.Responses[0].PartitionResponses[0].ErrorCode);
    }

    [Fact]
    public async Task A_log_append_time_topic_answers_with_the_append_time()
    {
        await using var broker = await BrokerUnderTest.StartAsync();
        using var client = await broker.ConnectAsync();
        await client.SendAsync<CreateTopicsResponse>(Requests.CreateTopic("lat", configs: ("message.timestamp.type", "LogAppendTime")), 7);

        var response = await client.SendAsync<ProduceResponse>(Requests.Produce("lat", 0, Requests.Batch(1, timestamp: 5)), 9);

        Assert.True(response.Responses[0].PartitionResponses[0].LogAppendTimeMs > 1_600_000_000_000);
    }

    [Fact]
    public async Task Unknown_partitions_are_reported_per_partition()
    {
        await using var broker = await BrokerUnderTest.StartAsync(o => o.Broker.AutoCreateTopics = false);
        using var client = await broker.ConnectAsync();

        var produced = await client.SendAsync<ProduceResponse>(Requests.Produce("nope", 0, Requests.Batch(1)), 9);
        var fetched = await client.SendAsync<FetchResponse>(Requests.Fetch("nope", 0, 0), 12);

        Assert.Equal((short)ErrorCode.UnknownTopicOrPartition, produced.Responses[0].PartitionResponses[0].ErrorCode);
        Assert.Equal((short)ErrorCode.UnknownTopicOrPartition, fetched.Responses[0].Partitions[0].ErrorCode);
    }

    [Fact]
    public async Task Acks_zero_gets_no_response_and_the_next_request_is_answered_in_order()
    {
        await using var broker = await BrokerUnderTest.StartAsync();
        using var client = await broker.ConnectAsync();
        await client.SendAsync<MetadataResponse>(Requests.Metadata("quiet"), 12);

        await client.SendOnlyAsync(Requests.Produce("quiet", 0, Requests.Batch(2), acks: 0), 9);
        int correlationId = await client.SendOnlyAsync(Requests.Fetch("quiet", 0, 0, maxWaitMs: 10_000), 12);
        var fetched = await client.ReceiveAsync<FetchResponse>(ApiKey.Fetch, 12, correlationId);

        Assert.Equal(2, Requests.RecordsOf(fetched.Responses[0].Partitions[0]).Count);
    }

    [Fact]
    public async Task A_long_poll_fetch_is_woken_by_a_produce_on_another_connection()
    {
        await using var broker = await BrokerUnderTest.StartAsync();
        using var consumer = await broker.ConnectAsync();
        using var producer = await broker.ConnectAsync();
        await producer.SendAsync<MetadataResponse>(Requests.Metadata("wake"), 12);

        // Waits up to a minute: only a produce can end it before the test's receive deadline.
        int correlationId = await consumer.SendOnlyAsync(Requests.Fetch("wake", 0, 0, maxWaitMs: 60_000), 12);
        await producer.SendAsync<ProduceResponse>(Requests.Produce("wake", 0, Requests.Batch(1)), 9);
        var fetched = await consumer.ReceiveAsync<FetchResponse>(ApiKey.Fetch, 12, correlationId);

        Assert.Equal([(0L, "k0", "v0")], Requests.RecordsOf(fetched.Responses[0].Partitions[0]));
    }

    [Fact]
    public async Task Fetching_beyond_the_log_end_is_offset_out_of_range()
    {
        await using var broker = await BrokerUnderTest.StartAsync();
        using var client = await broker.ConnectAsync();
        await client.CreateTopicAsync("t");
        await client.SendAsync<ProduceResponse>(Requests.Produce("t", 0, Requests.Batch(1)), 9);

        var fetched = await client.SendAsync<FetchResponse>(Requests.Fetch("t", 0, 5), 12);

        Assert.Equal((short)ErrorCode.OffsetOutOfRange, fetched.Responses[0].Partitions[0].ErrorCode);
    }

    [Fact]
    public async Task Fetch_v13_and_later_find_topics_by_id()
    {
        await using var broker = await BrokerUnderTest.StartAsync();
        using var client = await broker.ConnectAsync();
        var created = await client.SendAsync<CreateTopicsResponse>(Requests.CreateTopic("by-id"), 7);
        await client.SendAsync<ProduceResponse>(Requests.Produce("by-id", 0, Requests.Batch(2)), 11);
        FetchRequest request = Requests.Fetch("", 0, 0);
        request.Topics[0].TopicId = created.Topics[0].TopicId;
        FetchRequest unknown = Requests.Fetch("", 0, 0);
        unknown.Topics[0].TopicId = Brook.Protocol.Primitives.Uuid.NewRandom();

        var fetched = await client.SendAsync<FetchResponse>(request, 16);
        var missing = await client.SendAsync<FetchResponse>(unknown, 16);

        Assert.Equal(created.Topics[0].TopicId, fetched.Responses[0].TopicId);
        Assert.Equal(2, Requests.RecordsOf(fetched.Responses[0].Partitions[0]).Count);
        Assert.Equal((short)ErrorCode.UnknownTopicId, missing.Responses[0].Partitions[0].ErrorCode);
    }

    [Fact]
    public async Task ListOffsets_finds_earliest_latest_max_timestamp_and_by_timestamp()
    {
        await using var broker = await BrokerUnderTest.StartAsync();
        using var client = await broker.ConnectAsync();
        await client.CreateTopicAsync("t");
        await client.SendAsync<ProduceResponse>(Requests.Produce("t", 0, Requests.Batch(3, timestamp: 1000)), 9);
        await client.SendAsync<ProduceResponse>(Requests.Produce("t", 0, Requests.Batch(3, timestamp: 2000)), 9);

        async Task<(long Offset, long Timestamp)> Lookup(long timestamp)
        {
            var response = await client.SendAsync<ListOffsetsResponse>(new ListOffsetsRequest
            {
                ReplicaId = -1,
                Topics = [new() { Name = "t", Partitions = [new() { PartitionIndex = 0, Timestamp = timestamp }] }],
            }, 8);
            var partition = response.Topics[0].Partitions[0];
            return (partition.Offset, partition.Timestamp);
        }

        Assert.Equal(0, (await Lookup(-2)).Offset);
        Assert.Equal(6, (await Lookup(-1)).Offset);
        Assert.Equal((5L, 2002L), await Lookup(-3));
        Assert.Equal(3, (await Lookup(1500)).Offset);
        Assert.Equal(-1, (await Lookup(9999)).Offset);
    }

    [Fact]
    public async Task DeleteRecords_moves_the_log_start_and_fetching_below_it_is_out_of_range()
    {
        await using var broker = await BrokerUnderTest.StartAsync();
        using var client = await broker.ConnectAsync();
        await client.CreateTopicAsync("t");
        await client.SendAsync<ProduceResponse>(Requests.Produce("t", 0, Requests.Batch(2)), 9);
        await client.SendAsync<ProduceResponse>(Requests.Produce("t", 0, Requests.Batch(2)), 9);

        var deleted = await client.SendAsync<DeleteRecordsResponse>(new DeleteRecordsRequest { Topics = [new() { Name = "t", Partitions = [new() { PartitionIndex = 0, Offset = 2 }] }] }, 2);
        var below = await client.SendAsync<FetchResponse>(Requests.Fetch("t", 0, 0), 12);

        Assert.Equal((0, 2L), (deleted.Topics[0].Partitions[0].ErrorCode, deleted.Topics[0].Partitions[0].LowWatermark));
        Assert.Equal((short)ErrorCode.OffsetOutOfRange, below.Responses[0].Partitions[0].ErrorCode);
        Assert.Equal(2, below.Responses[0].Partitions[0].LogStartOffset);
    }
}
