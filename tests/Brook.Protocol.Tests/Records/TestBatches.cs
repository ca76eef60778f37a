using System.Buffers.Binary;
using System.Text;
using Brook.Protocol.Compression;
using Brook.Protocol.Records;

namespace Brook.Protocol.Tests.Records;

/// <summary>Builds small batches for tests.</summary>
internal static class TestBatches
{
    public const long FirstTimestamp = 1_700_000_000_000;

    /// <summary>A batch of <paramref name="count"/> records "key-i" / "value-i" with one header each.</summary>
    public static byte[] Build(int count = 3, RecordBatchOptions? options = null)
    {
        using var builder = new RecordBatchBuilder(options);
        for (int i = 0; i < count; i++)
        {
            RecordHeaderData[] headers = [new(Encoding.UTF8.GetBytes("h"), Encoding.UTF8.GetBytes($"v{i}"))];
            builder.Append(FirstTimestamp + i, Encoding.UTF8.GetBytes($"key-{i}"), Encoding.UTF8.GetBytes($"value-{i}"), headers);
        }
        return Write(builder);
    }

    public static byte[] Write(RecordBatchBuilder builder)
    {
        using var output = new PooledBufferWriter();
        builder.WriteTo(output);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>
    /// A copy of <paramref name="template"/>'s header over a new records section, with
    /// batchLength and the CRC made consistent, so that only the chosen fault remains.
    /// </summary>
    public static byte[] WithRecordsSection(ReadOnlySpan<byte> section, int recordsCount, int lastOffsetDelta, byte[]? template = null)
    {
        template ??= Build(1);
        byte[] result = new byte[RecordBatchHeader.Size + section.Length];
        template.AsSpan(0, RecordBatchHeader.Size).CopyTo(result);
        section.CopyTo(result.AsSpan(RecordBatchHeader.Size));
        BinaryPrimitives.WriteInt32BigEndian(result.AsSpan(RecordBatchHeader.BatchLengthOffset), result.Length - RecordBatchHeader.LogOverhead);
        BinaryPrimitives.WriteInt32BigEndian(result.AsSpan(RecordBatchHeader.RecordsCountOffset), recordsCount);
        BinaryPrimitives.WriteInt32BigEndian(result.AsSpan(RecordBatchHeader.LastOffsetDeltaOffset), lastOffsetDelta);
        RecordBatchHeader.WriteCrc(result);
        return result;
    }

    /// <summary>Hand-encodes one record from raw field values, so tests can write what a builder never would.</summary>
    public static byte[] RawRecord(int? lengthOverride = null, int offsetDelta = 0, int keyLength = 1, int valueLength = 1,
        int headerCount = 0, byte[]? extra = null)
    {
        var body = new List<byte> { 0 };
        AddVarint(body, 0); // timestampDelta
        AddVarint(body, offsetDelta);
        AddVarint(body, keyLength);
        body.AddRange(new byte[Math.Clamp(keyLength, 0, 16)]); // a claimed length beyond 16 is left unbacked on purpose
        AddVarint(body, valueLength);
        body.AddRange(new byte[Math.Clamp(valueLength, 0, 16)]);
        AddVarint(body, headerCount);
        body.AddRange(extra ?? []);
        var record = new List<byte>();
        AddVarint(record, lengthOverride ?? body.Count);
        record.AddRange(body);
        return [.. record];
    }

    public static void AddVarint(List<byte> bytes, long value)
    {
        byte[] buffer = new byte[ZigZagVarint.MaxInt64Bytes];
        bytes.AddRange(buffer.AsSpan(0, ZigZagVarint.WriteInt64(buffer, value)).ToArray());
    }
}
