using System.Buffers;
using System.Buffers.Binary;
using Brook.Protocol.Messages;
using Brook.Protocol.Primitives;
using Brook.Protocol.Records;
using Brook.Protocol.Tests.Messages;

namespace Brook.Protocol.Tests.Golden;

/// <summary>
/// The response side of the captured conversations: answers at the versions librdkafka 2.0.2 and
/// kafka-python 2.0.2 asked for survive a whole-frame write and read, and write back identically.
/// </summary>
public class ResponseRoundTripTests
{
    [Theory]
    [InlineData((short)0)]
    [InlineData((short)3)]
    public void ApiVersions_response_round_trips_at_the_versions_the_clients_probe_with(short version)
    {
        var response = new ApiVersionsResponse();
        response.ApiKeys.Add(new ApiVersionsResponse.ApiVersion { ApiKey = (short)ApiKey.Produce, MinVersion = 0, MaxVersion = 11 });
        response.ApiKeys.Add(new ApiVersionsResponse.ApiVersion { ApiKey = (short)ApiKey.Fetch, MinVersion = 0, MaxVersion = 16 });
        response.ApiKeys.Add(new ApiVersionsResponse.ApiVersion { ApiKey = (short)ApiKey.ApiVersions, MinVersion = 0, MaxVersion = 3 });
        if (version >= 3)
        {
            response.ThrottleTimeMs = 7;
            // A tagged field, so the flexible body's tag section carries something.
            response.SupportedFeatures.Add(new ApiVersionsResponse.SupportedFeatureKey { Name = "metadata.version", MinVersion = 1, MaxVersion = 20 });
        }

        byte[] frame = RoundTrip(response, ApiKey.ApiVersions, version, correlationId: 1);

        // ApiVersions answers with header v0 at every version, so the body starts right after the correlation id.
        Assert.Equal(0, BinaryPrimitives.ReadInt16BigEndian(frame.AsSpan(8)));
    }

    [Theory]
    [InlineData((short)0)]
    [InlineData((short)1)]
    [InlineData((short)4)]
    public void Metadata_response_round_trips_at_the_versions_the_clients_asked_with(short version)
    {
        var response = new MetadataResponse();
        var broker = new MetadataResponse.MetadataResponseBroker { NodeId = 1, Host = "127.0.0.1", Port = 9092 };
        response.Brokers.Add(broker);
        if (version >= 1)
        {
            response.ControllerId = 1;
            broker.Rack = "rack-a";
        }
        if (version >= 2)
        {
            response.ClusterId = "brook-cluster";
        }
        if (version >= 3)
        {
            response.ThrottleTimeMs = 3;
        }
        var partition = new MetadataResponse.MetadataResponsePartition { PartitionIndex = 0, LeaderId = 1 };
        partition.ReplicaNodes.Add(1);
        partition.IsrNodes.Add(1);
        var topic = new MetadataResponse.MetadataResponseTopic { Name = "records" };
        topic.Partitions.Add(partition);
        response.Topics.Add(topic);

        RoundTrip(response, ApiKey.Metadata, version, correlationId: 2);
    }

    [Fact]
    public void Produce_v7_response_round_trips_with_the_assigned_base_offset()
    {
        var response = new ProduceResponse { ThrottleTimeMs = 0 };
        var topic = new ProduceResponse.TopicProduceResponse { Name = "records" };
        topic.PartitionResponses.Add(new ProduceResponse.PartitionProduceResponse
        {
            Index = 0,
            BaseOffset = 42,
            LogAppendTimeMs = -1,
            LogStartOffset = 0,
        });
        response.Responses.Add(topic);

        RoundTrip(response, ApiKey.Produce, version: 7, correlationId: 3);
    }

    [Theory]
    [InlineData((short)4)]
    [InlineData((short)11)]
    public void Fetch_response_round_trips_with_a_record_batch_that_still_validates(short version)
    {
        byte[] batch = BuildBatch();
        var partition = new FetchResponse.PartitionData
        {
            PartitionIndex = 0,
            HighWatermark = 5,
            LastStableOffset = 5,
            Records = batch,
        };
        partition.AbortedTransactions!.Add(new FetchResponse.AbortedTransaction { ProducerId = 9, FirstOffset = 1 });
        var response = new FetchResponse { ThrottleTimeMs = 0 };
        if (version >= 5)
        {
            partition.LogStartOffset = 0;
        }
        if (version >= 7)
        {
            response.SessionId = 0;
        }
        if (version >= 11)
        {
            partition.PreferredReadReplica = -1;
        }
        var topic = new FetchResponse.FetchableTopicResponse { Topic = "records" };
        topic.Partitions.Add(partition);
        response.Responses.Add(topic);

        byte[] frame = RoundTrip(response, ApiKey.Fetch, version, correlationId: 4, out IApiMessage decoded);

        ReadOnlyMemory<byte>? records = ((FetchResponse)decoded).Responses[0].Partitions[0].Records;
        Assert.NotNull(records);
        Assert.Equal(batch, records.Value.ToArray());
        Assert.Equal(RecordBatchError.None, RecordBatchValidator.Validate(records.Value.Span));
        Assert.True(frame.AsSpan().EndsWith(batch));
    }

    private static byte[] BuildBatch()
    {
        using var builder = new RecordBatchBuilder();
        for (int i = 0; i < 5; i++)
        {
            builder.Append(1_700_000_000_000 + i, "key"u8, keyIsNull: false, "value"u8, valueIsNull: false);
        }
        var output = new ArrayBufferWriter<byte>();
        builder.WriteTo(output);
        return output.WrittenSpan.ToArray();
    }

    private static byte[] RoundTrip(IApiMessage response, ApiKey apiKey, short version, int correlationId) =>
        RoundTrip(response, apiKey, version, correlationId, out _);

    /// <summary>
    /// Writes <paramref name="response"/> as a whole frame, reads it back as a client would,
    /// compares every field, and checks that the decoded message writes the same frame.
    /// </summary>
    private static byte[] RoundTrip(IApiMessage response, ApiKey apiKey, short version, int correlationId, out IApiMessage decoded)
    {
        var buffer = new ArrayBufferWriter<byte>();
        int written = KafkaFrames.WriteResponse(buffer, correlationId, response, version);
        byte[] frame = buffer.WrittenSpan.ToArray();
        Assert.Equal(frame.Length, written);
        Assert.Equal(frame.Length - 4, BinaryPrimitives.ReadInt32BigEndian(frame));
        Assert.Equal(correlationId, BinaryPrimitives.ReadInt32BigEndian(frame.AsSpan(4)));

        Assert.Equal(ProtocolReadError.None, KafkaFrames.ReadResponse(frame.AsMemory(4), apiKey, version, out int readCorrelationId, out decoded));

        Assert.Equal(correlationId, readCorrelationId);
        DeepEquality.AssertEqual(response, decoded, apiKey.ToString());
        var again = new ArrayBufferWriter<byte>();
        KafkaFrames.WriteResponse(again, correlationId, decoded, version);
        Assert.Equal(Convert.ToHexString(frame), Convert.ToHexString(again.WrittenSpan));
        return frame;
    }
}
