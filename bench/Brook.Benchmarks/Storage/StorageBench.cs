using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using Brook.Protocol.Primitives;
using Brook.Protocol.Records;
using System.Buffers.Binary;

namespace Brook.Benchmarks.Storage;

/// <summary>Shared set-up of the storage benchmarks: batch building, data directory, and a short job.</summary>
public static class StorageBench
{
    /// <summary>Every storage benchmark operation appends or reads this many bytes.</summary>
    public const long BytesPerOperation = 64L * 1024 * 1024;

    public const int RecordValueBytes = 1024;

    /// <summary>Where benchmark logs go: BROOK_BENCH_DIR (put it on the disk fio measured) or the temp dir.</summary>
    public static string NewDirectory(string name)
    {
        string root = Environment.GetEnvironmentVariable("BROOK_BENCH_DIR") ?? Path.Combine(Path.GetTempPath(), "brook-bench");
        string path = Path.Combine(root, $"{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>An uncompressed batch of about <paramref name="batchBytes"/> bytes made of 1 KiB-value records.</summary>
    public static byte[] Batch(int batchBytes)
    {
        int recordBytes = RecordValueBytes + 16; // an upper bound: length, attributes, deltas, null key, value length, no headers
        int count = Math.Max(1, (batchBytes - RecordBatchHeader.Size) / recordBytes);
        var batch = new byte[RecordBatchHeader.Size + count * recordBytes];
        var span = batch.AsSpan();
        int at = RecordBatchHeader.Size;
        for (int i = 0; i < count; i++)
        {
            at += WriteRecord(span[at..], i);
        }
        Array.Resize(ref batch, at);
        span = batch.AsSpan();
        BinaryPrimitives.WriteInt32BigEndian(span[RecordBatchHeader.BatchLengthOffset..], batch.Length - RecordBatchHeader.LogOverhead);
        span[RecordBatchHeader.MagicOffset] = RecordBatchHeader.CurrentMagic;
        BinaryPrimitives.WriteInt32BigEndian(span[RecordBatchHeader.LastOffsetDeltaOffset..], count - 1);
        BinaryPrimitives.WriteInt64BigEndian(span[RecordBatchHeader.BaseTimestampOffset..], 1_700_000_000_000);
        BinaryPrimitives.WriteInt64BigEndian(span[RecordBatchHeader.MaxTimestampOffset..], 1_700_000_000_000);
        BinaryPrimitives.WriteInt64BigEndian(span[RecordBatchHeader.ProducerIdOffset..], -1);
        BinaryPrimitives.WriteInt16BigEndian(span[RecordBatchHeader.ProducerEpochOffset..], -1);
        BinaryPrimitives.WriteInt32BigEndian(span[RecordBatchHeader.BaseSequenceOffset..], -1);
        BinaryPrimitives.WriteInt32BigEndian(span[RecordBatchHeader.RecordsCountOffset..], count);
        BinaryPrimitives.WriteUInt32BigEndian(span[RecordBatchHeader.CrcOffset..], Crc32C.Compute(span[RecordBatchHeader.CrcCoverageStart..]));
        return batch;
    }

    /// <summary>A short, in-process-friendly job: storage benchmarks move 64 MiB per operation.</summary>
    public sealed class Config : ManualConfig
    {
        public Config()
        {
            AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(2).WithIterationCount(8).WithInvocationCount(1).WithUnrollFactor(1));
            AddColumn(new ThroughputColumn());
            AddDiagnoser(MemoryDiagnoser.Default); // the append path should allocate nothing per record
        }
    }

    private static int WriteRecord(Span<byte> destination, int offsetDelta)
    {
        Span<byte> body = stackalloc byte[16];
        int length = 0;
        body[length++] = 0; // attributes
        length += Varint(body[length..], 0); // timestamp delta
        length += Varint(body[length..], offsetDelta);
        length += Varint(body[length..], -1); // null key
        length += Varint(body[length..], RecordValueBytes);
        int prefix = Varint(destination, length + RecordValueBytes + 1);
        body[..length].CopyTo(destination[prefix..]);
        destination.Slice(prefix + length, RecordValueBytes).Fill((byte)'x');
        destination[prefix + length + RecordValueBytes] = 0; // no headers
        return prefix + length + RecordValueBytes + 1;
    }

    private static int Varint(Span<byte> destination, long value)
    {
        ulong zigzag = (ulong)((value << 1) ^ (value >> 63));
        int i = 0;
        while (zigzag >= 0x80)
        {
            destination[i++] = (byte)(zigzag | 0x80);
            zigzag >>= 7;
        }
        destination[i++] = (byte)zigzag;
        return i;
    }
}
