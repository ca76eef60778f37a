using BenchmarkDotNet.Attributes;
using Brook.Storage;

namespace Brook.Benchmarks.Storage;

/// <summary>
/// Reading back from the page cache: fetch-sized reads (1 MiB) copied once from the segment
/// file into a network-buffer-sized destination, as the broker's fetch path does.
/// </summary>
[Config(typeof(StorageBench.Config))]
public class ReadBenchmarks
{
    private PartitionLog _log = null!;
    private string _directory = "";
    private byte[] _networkBuffer = [];

    [Params(1024 * 1024)]
    public int FetchBytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _directory = StorageBench.NewDirectory("read");
        _log = PartitionLog.Open(_directory, LogConfig.Default with { SegmentBytes = 256 * 1024 * 1024 });
        var batch = StorageBench.Batch(64 * 1024);
        long written = 0;
        while (written < StorageBench.BytesPerOperation)
        {
            _log.Append(batch, 0);
            written += batch.Length;
        }
        _networkBuffer = new byte[FetchBytes + 128 * 1024];
    }

    [Benchmark(Description = "read 64 MiB in fetch-sized slices")]
    public long ReadAll()
    {
        long offset = 0;
        long total = 0;
        long end = _log.LogEndOffset;
        while (offset < end)
        {
            using var read = _log.Read(offset, FetchBytes, end);
            int copied = read.CopyTo(_networkBuffer);
            total += copied;
            offset = LastOffsetAfter(_networkBuffer.AsSpan(0, copied));
        }
        return total;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _log.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private static long LastOffsetAfter(ReadOnlySpan<byte> batches)
    {
        long next = 0;
        int at = 0;
        while (at < batches.Length)
        {
            var header = new Brook.Protocol.Records.RecordBatchHeader(batches[at..]);
            next = header.LastOffset + 1;
            at += header.TotalSize;
        }
        return next;
    }
}
