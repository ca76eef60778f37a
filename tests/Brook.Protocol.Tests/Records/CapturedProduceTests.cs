using System.Text;
using Brook.Protocol.Compression;
using Brook.Protocol.Records;

namespace Brook.Protocol.Tests.Records;

/// <summary>Record batches exactly as librdkafka and kafka-python sent them decode to the records they were given.</summary>
public class CapturedProduceTests
{
    public static TheoryData<string> ProduceFixtures => new(
        from client in new[] { "librdkafka-2.0.2", "kafka-python-2.0.2" }
        from codec in new[] { "none", "gzip", "snappy", "lz4", "zstd" }
        select $"{client}-produce-v7-{codec}.hex");

    [Theory]
    [MemberData(nameof(ProduceFixtures))]
    public void Captured_batch_passes_the_broker_validation(string fixture)
    {
        byte[] batch = CapturedFixtures.ProduceRecords(CapturedFixtures.Load(fixture));

        Assert.Equal(RecordBatchError.None, RecordBatchValidator.Validate(batch));
        using var scratch = new PooledBufferWriter();
        Assert.Equal(RecordBatchError.None, RecordBatchValidator.ValidateCompressedRecords(batch, scratch, 1 << 20));
    }

    [Theory]
    [MemberData(nameof(ProduceFixtures))]
    public void Captured_batch_uses_the_codec_its_name_says(string fixture)
    {
        byte[] batch = CapturedFixtures.ProduceRecords(CapturedFixtures.Load(fixture));
        string codec = fixture[(fixture.LastIndexOf('-') + 1)..^".hex".Length];

        Assert.Equal(codec, new RecordBatchHeader(batch).Compression.ToString(), ignoreCase: true);
    }

    [Theory]
    [MemberData(nameof(ProduceFixtures))]
    public void Captured_batch_decodes_to_exactly_the_records_that_were_sent(string fixture)
    {
        byte[] batch = CapturedFixtures.ProduceRecords(CapturedFixtures.Load(fixture));

        List<DecodedRecord> records = DecodedRecord.ReadAll(batch);

        Assert.Equal(CapturedFixtures.SentRecords.Length, records.Count);
        for (int i = 0; i < records.Count; i++)
        {
            Assert.Equal(i, records[i].Offset);
            Assert.Equal(CapturedFixtures.SentRecords[i].Key, records[i].KeyText);
            Assert.Equal(CapturedFixtures.SentRecords[i].Value, records[i].ValueText);
            Assert.Equal(
                CapturedFixtures.SentHeaders,
                records[i].Headers.Select(h => (h.Key, Encoding.UTF8.GetString(h.Value!))).ToArray());
        }
    }

    [Theory]
    [MemberData(nameof(ProduceFixtures))]
    public void Captured_batch_reencoded_by_Brook_decodes_to_the_same_records(string fixture)
    {
        byte[] original = CapturedFixtures.ProduceRecords(CapturedFixtures.Load(fixture));
        var header = new RecordBatchHeader(original);
        List<DecodedRecord> records = DecodedRecord.ReadAll(original);

        using var builder = new RecordBatchBuilder(new RecordBatchOptions { Compression = header.Compression });
        foreach (DecodedRecord record in records)
        {
            RecordHeaderData[] headers = [.. record.Headers.Select(h => new RecordHeaderData(Encoding.UTF8.GetBytes(h.Key), h.Value))];
            builder.Append(record.Timestamp, record.Key, record.Value, headers);
        }
        using var output = new PooledBufferWriter();
        builder.WriteTo(output);

        Assert.Equal(RecordBatchError.None, RecordBatchValidator.Validate(output.WrittenSpan));
        Assert.Equivalent(records, DecodedRecord.ReadAll(output.WrittenSpan), strict: true);
    }
}
