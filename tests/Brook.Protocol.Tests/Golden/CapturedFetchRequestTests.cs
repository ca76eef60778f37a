using Brook.Protocol.Messages;

namespace Brook.Protocol.Tests.Golden;

/// <summary>Fetch requests of librdkafka (v11) and kafka-python (v4), decoded by the generated FetchRequest.</summary>
public class CapturedFetchRequestTests
{
    [Fact]
    public void Librdkafka_Fetch_v11_asks_for_records_partition_0_from_offset_0_read_committed()
    {
        GoldenFrame frame = GoldenFrame.Load("librdkafka-2.0.2-fetch-v11.hex");

        frame.AssertHeader(ApiKey.Fetch, version: 11, correlationId: 4, clientId: "rdkafka");
        var body = Assert.IsType<FetchRequest>(frame.Body);
        AssertConsumerDefaults(body);
        // librdkafka's isolation.level defaults to read_committed.
        Assert.Equal((sbyte)1, body.IsolationLevel);
        // No incremental fetch session: session id 0 with epoch -1 (FINAL_EPOCH) asks for a full fetch.
        Assert.Equal(0, body.SessionId);
        Assert.Equal(-1, body.SessionEpoch);
        Assert.Empty(body.ForgottenTopicsData);
        Assert.Equal("", body.RackId);
        FetchRequest.FetchPartition partition = AssertSinglePartition(body);
        Assert.Equal(-1, partition.CurrentLeaderEpoch);
        Assert.Equal(-1L, partition.LogStartOffset);
    }

    [Fact]
    public void Kafka_python_Fetch_v4_asks_for_records_partition_0_from_offset_0_read_uncommitted()
    {
        GoldenFrame frame = GoldenFrame.Load("kafka-python-2.0.2-fetch-v4.hex");

        frame.AssertHeader(ApiKey.Fetch, version: 4, correlationId: 1, clientId: "kafka-python-2.0.2");
        var body = Assert.IsType<FetchRequest>(frame.Body);
        AssertConsumerDefaults(body);
        Assert.Equal((sbyte)0, body.IsolationLevel);
        AssertSinglePartition(body);
    }

    /// <summary>Both clients' defaults: 500 ms max wait, 1 byte min, 50 MiB per response, 1 MiB per partition.</summary>
    private static void AssertConsumerDefaults(FetchRequest body)
    {
        Assert.Equal(-1, body.ReplicaId);
        Assert.Equal(500, body.MaxWaitMs);
        Assert.Equal(1, body.MinBytes);
        Assert.Equal(50 * 1024 * 1024, body.MaxBytes);
    }

    private static FetchRequest.FetchPartition AssertSinglePartition(FetchRequest body)
    {
        FetchRequest.FetchTopic topic = Assert.Single(body.Topics);
        Assert.Equal("records", topic.Topic);
        FetchRequest.FetchPartition partition = Assert.Single(topic.Partitions);
        Assert.Equal(0, partition.Partition);
        Assert.Equal(0L, partition.FetchOffset);
        Assert.Equal(1024 * 1024, partition.PartitionMaxBytes);
        return partition;
    }
}
