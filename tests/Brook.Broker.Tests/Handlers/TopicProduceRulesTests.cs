using Brook.Protocol.Errors;
using Brook.Protocol.Messages;
using Brook.Protocol.Records;

namespace Brook.Broker.Tests.Handlers;

/// <summary>What a topic's configs do to produced batches: the codec they are stored with and the bounds on record timestamps.</summary>
public sealed class TopicProduceRulesTests
{
    private static readonly long Now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    [Theory]
    [InlineData(CompressionType.None, "lz4", CompressionType.Lz4)]
    [InlineData(CompressionType.Gzip, "zstd", CompressionType.Zstd)]
    [InlineData(CompressionType.Snappy, "uncompressed", CompressionType.None)]
    [InlineData(CompressionType.Zstd, "gzip", CompressionType.Gzip)]
    [InlineData(CompressionType.Lz4, "snappy", CompressionType.Snappy)]
    [InlineData(CompressionType.Gzip, "producer", CompressionType.Gzip)]
    public async Task A_batch_is_storedBatchwith_the_topics_compression_type_and_its_records_unchanged(CompressionType sent, string topicCodec, CompressionType stored)
    {
        await using var broker = await BrokerUnderTest.StartAsync();
        using var client = await broker.ConnectAsync();
        await client.SendAsync<CreateTopicsResponse>(Requests.CreateTopic("c", configs: ("compression.type", topicCodec)), 7);

        byte[] batch = Requests.Batch(3, producerId: 1000, producerEpoch: 0, baseSequence: 0, compression: sent);
        var produced = await client.SendAsync<ProduceResponse>(Requests.Produce("c", 0, batch), 11);
        Assert.Equal(0, produced.Responses[0].PartitionResponses[0].ErrorCode);
        var fetched = await client.SendAsync<FetchResponse>(Requests.Fetch("c", 0, 0), 12);

        var partition = fetched.Responses[0].Partitions[0];
        Assert.Equal(RecordBatchError.None, RecordBatch.TryRead(partition.Records!.Value.Span, out RecordBatch storedBatch));
        Assert.Equal(stored, storedBatch.Compression);
        Assert.Equal(RecordBatchError.None, RecordBatchValidator.Validate(storedBatch.Bytes, RecordBatchOrigin.Log));
        // The producer's identity and sequence survive the rewrite: a retry is still a duplicate.
        Assert.Equal((1000L, (short)0, 0), (storedBatch.Header.ProducerId, storedBatch.Header.ProducerEpoch, storedBatch.Header.BaseSequence));
        Assert.Equal([(0L, "k0", "v0"), (1, "k1", "v1"), (2, "k2", "v2")], Requests.RecordsOf(partition));
        var retried = await client.SendAsync<ProduceResponse>(Requests.Produce("c", 0, batch), 11);
        Assert.Equal((0, 0L), (retried.Responses[0].PartitionResponses[0].ErrorCode, retried.Responses[0].PartitionResponses[0].BaseOffset));
    }

    [Fact]
    public async Task A_record_older_than_before_max_ms_is_an_invalid_timestamp_naming_the_record()
    {
        await using var broker = await BrokerUnderTest.StartAsync();
        using var client = await broker.ConnectAsync();
        await client.SendAsync<CreateTopicsResponse>(Requests.CreateTopic("b", configs: ("message.timestamp.before.max.ms", "3600000")), 7);

        // Records at now - 2 h, now - 2 h + 1 ms, ...: the first is out of range.
        var refused = await client.SendAsync<ProduceResponse>(Requests.Produce("b", 0, Requests.Batch(2, timestamp: Now - 7_200_000)), 11);
        var accepted = await client.SendAsync<ProduceResponse>(Requests.Produce("b", 0, Requests.Batch(2, timestamp: Now - 60_000)), 11);
        var fetched = await client.SendAsync<FetchResponse>(Requests.Fetch("b", 0, 0), 12);

        var refusal = refused.Responses[0].PartitionResponses[0];
        Assert.Equal((short)ErrorCode.InvalidTimestamp, refusal.ErrorCode);
        Assert.Contains("is out of range", refusal.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(0, Assert.Single(refusal.RecordErrors).BatchIndex);
        Assert.Equal((0, 0L), (accepted.Responses[0].PartitionResponses[0].ErrorCode, accepted.Responses[0].PartitionResponses[0].BaseOffset));
        Assert.Equal(2, Requests.RecordsOf(fetched.Responses[0].Partitions[0]).Count);
    }

    [Fact]
    public async Task A_record_further_ahead_than_after_max_ms_is_refused_and_difference_max_ms_bounds_both_sides()
    {
        await using var broker = await BrokerUnderTest.StartAsync();
        using var client = await broker.ConnectAsync();
        await client.SendAsync<CreateTopicsResponse>(Requests.CreateTopic("a", configs: ("message.timestamp.after.max.ms", "60000")), 7);
        await client.SendAsync<CreateTopicsResponse>(Requests.CreateTopic("d", configs: ("message.timestamp.difference.max.ms", "60000")), 7);

        var ahead = await client.SendAsync<ProduceResponse>(Requests.Produce("a", 0, Requests.Batch(1, timestamp: Now + 3_600_000)), 11);
        var old = await client.SendAsync<ProduceResponse>(Requests.Produce("a", 0, Requests.Batch(1, timestamp: Now - 3_600_000)), 11);
        var oldOnD = await client.SendAsync<ProduceResponse>(Requests.Produce("d", 0, Requests.Batch(1, timestamp: Now - 3_600_000)), 11);
        var aheadOnD = await client.SendAsync<ProduceResponse>(Requests.Produce("d", 0, Requests.Batch(1, timestamp: Now + 3_600_000)), 11);

        Assert.Equal((short)ErrorCode.InvalidTimestamp, ahead.Responses[0].PartitionResponses[0].ErrorCode);
        Assert.Equal(0, old.Responses[0].PartitionResponses[0].ErrorCode);
        Assert.Equal((short)ErrorCode.InvalidTimestamp, oldOnD.Responses[0].PartitionResponses[0].ErrorCode);
        Assert.Equal((short)ErrorCode.InvalidTimestamp, aheadOnD.Responses[0].PartitionResponses[0].ErrorCode);
    }

    [Fact]
    public async Task Timestamp_bounds_do_not_apply_to_log_append_time_topics_and_negative_bounds_are_invalid_configs()
    {
        await using var broker = await BrokerUnderTest.StartAsync();
        using var client = await broker.ConnectAsync();
        await client.SendAsync<CreateTopicsResponse>(Requests.CreateTopic("l", configs: [("message.timestamp.type", "LogAppendTime"), ("message.timestamp.before.max.ms", "1000")]), 7);

        var appended = await client.SendAsync<ProduceResponse>(Requests.Produce("l", 0, Requests.Batch(1, timestamp: 5)), 11);
        var negative = await client.SendAsync<CreateTopicsResponse>(Requests.CreateTopic("n", configs: ("message.timestamp.after.max.ms", "-1")), 7);

        Assert.Equal(0, appended.Responses[0].PartitionResponses[0].ErrorCode);
        Assert.Equal((short)ErrorCode.InvalidConfig, Assert.Single(negative.Topics).ErrorCode);
    }
}
