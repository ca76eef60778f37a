using BenchmarkDotNet.Attributes;
using Brook.Storage;

namespace Brook.Benchmarks.Storage;

/// <summary>
/// Append throughput of one partition log with 1 KiB records in 16 KiB–1 MiB batches: into
/// the page cache without fsync (one core), and with acks=all durability through the group
/// commit flusher (one writer: an fsync per batch, as fio --fsync=1; four writers: shared fsyncs).
/// The "floor" rows do the same writes as a bare <c>pwrite</c> loop on one preallocated file, so
/// the ratio of a log row to its floor row is what the log adds to the system calls.
/// </summary>
[Config(typeof(StorageBench.Config))]
public class AppendBenchmarks
{
    private PartitionLog _log = null!;
    private LogFlusher _flusher = null!;
    private string _directory = "";
    private byte[][] _batches = [];
    private PwriteFloor _floor = null!;

    [Params(16 * 1024, 256 * 1024, 1024 * 1024)]
    public int BatchBytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _directory = StorageBench.NewDirectory("append");
        _flusher = new LogFlusher();
        _log = PartitionLog.Open(_directory, LogConfig.Default, new LogOptions { Flusher = _flusher });
        _batches = new byte[4][];
        for (int i = 0; i < _batches.Length; i++)
        {
            _batches[i] = StorageBench.Batch(BatchBytes);
        }
        _floor = new PwriteFloor(Path.Combine(_directory, "floor.bin"));
        _floor.Reset(FloorReservation);
    }

    [IterationCleanup]
    public void EmptyTheFiles()
    {
        _log.TruncateFullyAndStartAt(0);
        _floor.Reset(FloorReservation);
    }

    [Benchmark(Description = "append, no fsync")]
    public long AppendWithoutFsync()
    {
        var batch = _batches[0];
        long written = 0;
        while (written < StorageBench.BytesPerOperation)
        {
            _log.Append(batch, 0);
            written += batch.Length;
        }
        return written;
    }

    [Benchmark(Description = "floor: pwrite, no fsync")]
    public long PwriteWithoutFsync() => _floor.Write(_batches[0], StorageBench.BytesPerOperation, fsyncEach: false);

    [Benchmark(Description = "append + wait for fsync, 1 writer")]
    public Task<long> AppendDurableOneWriter() => AppendDurable(1);

    [Benchmark(Description = "append + wait for fsync, 4 writers")]
    public Task<long> AppendDurableFourWriters() => AppendDurable(4);

    [Benchmark(Description = "floor: pwrite + fsync, 1 writer")]
    public long PwriteWithFsync() => _floor.Write(_batches[0], StorageBench.BytesPerOperation, fsyncEach: true);

    [GlobalCleanup]
    public void Cleanup()
    {
        _floor.Dispose();
        _log.Dispose();
        _flusher.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Directory.Delete(_directory, recursive: true);
    }

    private long FloorReservation => StorageBench.BytesPerOperation + BatchBytes;

    private async Task<long> AppendDurable(int writers)
    {
        long perWriter = StorageBench.BytesPerOperation / writers;
        var tasks = new Task<long>[writers];
        for (int w = 0; w < writers; w++)
        {
            var batch = _batches[w];
            tasks[w] = Task.Run(async () =>
            {
                long written = 0;
                while (written < perWriter)
                {
                    var result = _log.Append(batch, 0);
                    await _log.WaitForFlushAsync(result.EndOffset).ConfigureAwait(false);
                    written += batch.Length;
                }
                return written;
            });
        }
        long total = 0;
        foreach (var task in tasks)
        {
            total += await task.ConfigureAwait(false);
        }
        return total;
    }
}
