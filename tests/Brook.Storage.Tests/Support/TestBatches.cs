using System.Buffers.Binary;
using System.Text;
using Brook.Protocol.Primitives;
using Brook.Protocol.Records;

namespace Brook.Storage.Tests.Support;

/// <summary>One record to put in a test batch; a null value is a tombstone.</summary>
internal readonly record struct TestRecord(string? Key, string? Value, long TimestampDelta = 0);

/// <summary>
/// Builds uncompressed magic-2 batches for tests (header, records, CRC) and reads them back.
/// Test-only on purpose: the real record builder lives in Brook.Protocol.
/// </summary>
internal static partial class TestBatches
{
    public static byte[] Build(IReadOnlyList<TestRecord> records, long baseTimestamp = 1_000, long baseOffset = 0, RecordBatchAttributes attributes = RecordBatchAttributes.None, long producerId = -1)
    {
        var body = new List<byte>();
        for (int i = 0; i < records.Count; i++)
        {
            var record = new List<byte> { 0 };
            WriteVarint(record, records[i].TimestampDelta);
            WriteVarint(record, i);
            WriteBytes(record, records[i].Key);
            WriteBytes(record, records[i].Value);
            WriteVarint(record, 0); // no headers
            WriteVarint(body, record.Count);
            body.AddRange(record);
        }
        var batch = new byte[RecordBatchHeader.Size + body.Count];
        var span = batch.AsSpan();
        BinaryPrimitives.WriteInt64BigEndian(span[RecordBatchHeader.BaseOffsetOffset..], baseOffset);
        BinaryPrimitives.WriteInt32BigEndian(span[RecordBatchHeader.BatchLengthOffset..], batch.Length - RecordBatchHeader.LogOverhead);
        BinaryPrimitives.WriteInt32BigEndian(span[RecordBatchHeader.PartitionLeaderEpochOffset..], -1);
        span[RecordBatchHeader.MagicOffset] = RecordBatchHeader.CurrentMagic;
        BinaryPrimitives.WriteInt16BigEndian(span[RecordBatchHeader.AttributesOffset..], (short)attributes);
        BinaryPrimitives.WriteInt32BigEndian(span[RecordBatchHeader.LastOffsetDeltaOffset..], Math.Max(0, records.Count - 1));
        long maxDelta = 0;
        foreach (var r in records)
        {
            maxDelta = Math.Max(maxDelta, r.TimestampDelta);
        }
        BinaryPrimitives.WriteInt64BigEndian(span[RecordBatchHeader.BaseTimestampOffset..], baseTimestamp);
        BinaryPrimitives.WriteInt64BigEndian(span[RecordBatchHeader.MaxTimestampOffset..], baseTimestamp + maxDelta);
        BinaryPrimitives.WriteInt64BigEndian(span[RecordBatchHeader.ProducerIdOffset..], producerId);
        BinaryPrimitives.WriteInt16BigEndian(span[RecordBatchHeader.ProducerEpochOffset..], -1);
        BinaryPrimitives.WriteInt32BigEndian(span[RecordBatchHeader.BaseSequenceOffset..], -1);
        BinaryPrimitives.WriteInt32BigEndian(span[RecordBatchHeader.RecordsCountOffset..], records.Count);
        body.CopyTo(batch, RecordBatchHeader.Size);
        uint crc = Crc32C.Compute(span[RecordBatchHeader.CrcCoverageStart..]);
        BinaryPrimitives.WriteUInt32BigEndian(span[RecordBatchHeader.CrcOffset..], crc);
        return batch;
    }

    public static byte[] Values(params string[] values) => Build(values.Select(v => new TestRecord(null, v)).ToList());

    public static byte[] Keyed(params (string Key, string? Value)[] records) => Build(records.Select(r => new TestRecord(r.Key, r.Value)).ToList());

    /// <summary>A batch of <paramref name="count"/> records of <paramref name="valueSize"/> bytes each.</summary>
    public static byte[] OfSize(int count, int valueSize, long baseTimestamp = 1_000)
    {
        string value = new('v', valueSize);
        var records = new TestRecord[count];
        Array.Fill(records, new TestRecord(null, value));
        return Build(records, baseTimestamp);
    }

    private static void WriteBytes(List<byte> target, string? text)
    {
        if (text is null)
        {
            WriteVarint(target, -1);
            return;
        }
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        WriteVarint(target, bytes.Length);
        target.AddRange(bytes);
    }

    private static void WriteVarint(List<byte> target, long value)
    {
        ulong zigzag = (ulong)((value << 1) ^ (value >> 63));
        while (zigzag >= 0x80)
        {
            target.Add((byte)(zigzag | 0x80));
            zigzag >>= 7;
        }
        target.Add((byte)zigzag);
    }

}
