using System.Buffers.Binary;
using Brook.Protocol.Compression;
using Brook.Protocol.Records;

namespace Brook.Benchmarks.Protocol;

/// <summary>
/// The data every protocol benchmark moves: 1 MiB of uncompressed magic-2 record batches made
/// of records of about 1 KiB, either as one 1 MiB batch or as 16 batches of 64 KiB (one per
/// partition). Batch sizes are exact, so throughput is simply 1 MiB over the mean time.
/// </summary>
public static class ProtocolPayload
{
    public const int TotalBytes = 1 << 20;
    public const int RecordSize = 1024;
    private const int KeySize = 8;
    private const long BaseTimestamp = 1_763_683_200_000;

    /// <summary>Splits <see cref="TotalBytes"/> into <paramref name="batchCount"/> equal batches.</summary>
    public static byte[][] Batches(int batchCount)
    {
        if (TotalBytes % batchCount != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(batchCount), "must divide 1 MiB");
        }
        var batches = new byte[batchCount][];
        for (int i = 0; i < batchCount; i++)
        {
            batches[i] = Batch(TotalBytes / batchCount, seed: i);
        }
        return batches;
    }

    /// <summary>
    /// One batch of exactly <paramref name="size"/> bytes: records with 1 KiB-ish values of
    /// pseudo-random bytes, the last one's value trimmed or grown so the batch fits exactly.
    /// </summary>
    public static byte[] Batch(int size, int seed)
    {
        var random = new Random(seed);
        byte[] values = new byte[3 * RecordSize];
        random.NextBytes(values);
        // Key, varints and the length prefix make up the rest of the 1 KiB (from the 65th record on).
        int valueSize = RecordSize - 19;
        int recordCount = Math.Max(1, (int)Math.Round((size - RecordBatchHeader.Size) / (double)RecordSize));

        byte[] batch = Build(values, recordCount, valueSize, valueSize);
        // In this size range a record's encoding grows one byte per value byte, so one correction lands exactly.
        int lastValueSize = valueSize + (size - batch.Length);
        batch = Build(values, recordCount, valueSize, lastValueSize);
        if (batch.Length != size)
        {
            throw new InvalidOperationException($"batch is {batch.Length} bytes, wanted {size}");
        }
        if (RecordBatchValidator.Validate(batch) != RecordBatchError.None)
        {
            throw new InvalidOperationException("built an invalid batch");
        }
        return batch;
    }

    private static byte[] Build(byte[] values, int recordCount, int valueSize, int lastValueSize)
    {
        using var builder = new RecordBatchBuilder(initialCapacity: TotalBytes + RecordSize);
        Span<byte> key = stackalloc byte[KeySize];
        for (int i = 0; i < recordCount; i++)
        {
            BinaryPrimitives.WriteInt64BigEndian(key, i);
            int length = i == recordCount - 1 ? lastValueSize : valueSize;
            builder.Append(BaseTimestamp + i, key, keyIsNull: false, values.AsSpan(i % RecordSize, length), valueIsNull: false);
        }
        using var output = new PooledBufferWriter(TotalBytes + RecordSize);
        builder.WriteTo(output);
        return output.WrittenSpan.ToArray();
    }
}
