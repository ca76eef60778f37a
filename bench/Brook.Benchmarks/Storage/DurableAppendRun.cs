using System.Diagnostics;
using System.Globalization;
using Brook.Storage;

namespace Brook.Benchmarks.Storage;

/// <summary>
/// One short timed run of durable single-writer appends (append, then wait for the fsync), or of
/// the bare pwrite + fsync loop, printing MB/s. bench/storage.sh alternates it with fio in rounds
/// so that both see the same disk: a shared virtual disk's fsync rate drifts several-fold within
/// minutes, more than any difference between them.
/// Usage: <c>storage-durable log|floor &lt;batch bytes&gt; &lt;total bytes&gt;</c>.
/// </summary>
public static class DurableAppendRun
{
    public static int Run(string[] args)
    {
        if (args.Length != 3 || args[0] is not ("log" or "floor"))
        {
            Console.Error.WriteLine("usage: storage-durable log|floor <batch bytes> <total bytes>");
            return 2;
        }
        int batchBytes = int.Parse(args[1], CultureInfo.InvariantCulture);
        long total = long.Parse(args[2], CultureInfo.InvariantCulture);
        var batch = StorageBench.Batch(batchBytes);
        string directory = StorageBench.NewDirectory("durable");
        try
        {
            double megabytesPerSecond = args[0] == "log" ? TimeLog(directory, batch, total) : TimeFloor(directory, batch, total);
            Console.WriteLine(megabytesPerSecond.ToString("F1", CultureInfo.InvariantCulture));
            return 0;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static double TimeLog(string directory, byte[] batch, long total)
    {
        var flusher = new LogFlusher();
        try
        {
            using var log = PartitionLog.Open(directory, LogConfig.Default, new LogOptions { Flusher = flusher });
            AppendDurably(log, batch, 64L * batch.Length); // warm-up: JIT, first segment blocks
            log.TruncateFullyAndStartAt(0);
            var clock = Stopwatch.StartNew();
            long written = AppendDurably(log, batch, total);
            return written / clock.Elapsed.TotalSeconds / 1e6;
        }
        finally
        {
            flusher.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private static long AppendDurably(PartitionLog log, byte[] batch, long total)
    {
        long written = 0;
        while (written < total)
        {
            var result = log.Append(batch, 0);
            var flushed = log.WaitForFlushAsync(result.EndOffset).AsTask().GetAwaiter().GetResult();
            if (result.Error != StorageErrorCode.None || flushed != StorageErrorCode.None)
            {
                throw new IOException($"append failed: {result.Error} / {flushed}");
            }
            written += batch.Length;
        }
        return written;
    }

    private static double TimeFloor(string directory, byte[] batch, long total)
    {
        using var floor = new PwriteFloor(Path.Combine(directory, "floor.bin"));
        floor.Reset(64L * batch.Length);
        floor.Write(batch, 64L * batch.Length, fsyncEach: true); // warm-up, as for the log
        floor.Reset(total + batch.Length);
        var clock = Stopwatch.StartNew();
        long written = floor.Write(batch, total, fsyncEach: true);
        return written / clock.Elapsed.TotalSeconds / 1e6;
    }
}
