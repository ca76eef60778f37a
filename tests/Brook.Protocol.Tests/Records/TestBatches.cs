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

    /// <summary>An uncompressed batch whose records section is exactly <paramref name="section"/>, with a correct CRC.</summary>
    public static byte[] WithRecordsSection(ReadOnlySpan<byte> section, int recordsCount, int lastOffsetDelta)
    {
        byte[] batch = Build(1);
        byte[] result = new byte[RecordBatchHeader.Size + section.Length];
        batch.AsSpan(0, RecordBatchHeader.Size).CopyTo(result);
        section.CopyTo(result.AsSpan(RecordBatchHeader.Size));
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(result.AsSpan(RecordBatchHeader.BatchLengthOffset), result.Length - 12);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(result.AsSpan(RecordBatchHeader.RecordsCountOffset), recordsCount);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(result.AsSpan(RecordBatchHeader.LastOffsetDeltaOffset), lastOffsetDelta);
        RecordBatchHeader.WriteCrc(result);
        return result;
    }
}
