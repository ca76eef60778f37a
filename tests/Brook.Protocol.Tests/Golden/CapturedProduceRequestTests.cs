using System.Text;
using Brook.Protocol.Compression;
using Brook.Protocol.Messages;
using Brook.Protocol.Records;
using Brook.Protocol.Tests.Records;

namespace Brook.Protocol.Tests.Golden;

/// <summary>Produce v7 requests of librdkafka and kafka-python, decoded by the generated ProduceRequest.</summary>
public class CapturedProduceRequestTests
{
    public static TheoryData<string, string> ClientsAndCodecs
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (string client in new[] { "librdkafka", "kafka-python" })
            {
                foreach (string codec in CapturedFrameFixtures.Codecs)
                {
                    data.Add(client, codec);
                }
            }
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(ClientsAndCodecs))]
    public void Produce_header_and_settings_are_what_the_client_was_configured_with(string client, string codec)
    {
        GoldenFrame frame = GoldenFrame.Load($"{client}-2.0.2-produce-v7-{codec}.hex");

        // kcat's default acks is all (-1); the kafka-python driver asks for acks=1. Both default to 30 s.
        bool isLibrdkafka = client == "librdkafka";
        frame.AssertHeader(ApiKey.Produce, version: 7,
            correlationId: isLibrdkafka ? 3 : 2, clientId: isLibrdkafka ? "rdkafka" : "kafka-python-producer-1");
        var body = Assert.IsType<ProduceRequest>(frame.Body);
        Assert.Null(body.TransactionalId);
        Assert.Equal(isLibrdkafka ? (short)-1 : (short)1, body.Acks);
        Assert.Equal(30_000, body.TimeoutMs);
        ProduceRequest.TopicProduceData topic = Assert.Single(body.TopicData);
        Assert.Equal("records", topic.Name);
        ProduceRequest.PartitionProduceData partition = Assert.Single(topic.PartitionData);
        Assert.Equal(0, partition.Index);
    }

    [Theory]
    [MemberData(nameof(ClientsAndCodecs))]
    public void Records_field_is_exactly_the_sent_batch_as_a_slice_of_the_frame(string client, string codec)
    {
        GoldenFrame frame = GoldenFrame.Load($"{client}-2.0.2-produce-v7-{codec}.hex");
        ReadOnlyMemory<byte> records = SinglePartitionRecords(frame);

        byte[] handWalked = CapturedFixtures.ProduceRecords(frame.Bytes);

        Assert.Equal(handWalked, records.ToArray());
        // The batch is the tail of the frame: the generated reader hands out a slice, not a copy.
        frame.AssertIsSliceOfFrame(records, frame.Bytes.Length - handWalked.Length);
        Assert.Equal(records.Length, new RecordBatchHeader(records.Span).TotalSize);
        Assert.Equal(codec, new RecordBatchHeader(records.Span).Compression.ToString(), ignoreCase: true);
    }

    [Theory]
    [MemberData(nameof(ClientsAndCodecs))]
    public void Records_field_passes_the_broker_validation_and_decodes_to_the_sent_records(string client, string codec)
    {
        GoldenFrame frame = GoldenFrame.Load($"{client}-2.0.2-produce-v7-{codec}.hex");
        ReadOnlySpan<byte> batch = SinglePartitionRecords(frame).Span;

        Assert.Equal(RecordBatchError.None, RecordBatchValidator.Validate(batch));
        using var scratch = new PooledBufferWriter();
        Assert.Equal(RecordBatchError.None, RecordBatchValidator.ValidateCompressedRecords(batch, scratch, 1 << 20));
        List<DecodedRecord> decoded = DecodedRecord.ReadAll(batch);
        Assert.Equal(
            CapturedFixtures.SentRecords,
            decoded.Select(r => (r.KeyText!, r.ValueText!)).ToArray());
        Assert.Equal([0L, 1, 2, 3, 4], decoded.Select(r => r.Offset));
        Assert.All(decoded, record => Assert.Equal(
            CapturedFixtures.SentHeaders,
            record.Headers.Select(h => (h.Key, Encoding.UTF8.GetString(h.Value!))).ToArray()));
    }

    private static ReadOnlyMemory<byte> SinglePartitionRecords(GoldenFrame frame)
    {
        var body = Assert.IsType<ProduceRequest>(frame.Body);
        ReadOnlyMemory<byte>? records = Assert.Single(Assert.Single(body.TopicData).PartitionData).Records;
        Assert.NotNull(records);
        return records.Value;
    }
}
