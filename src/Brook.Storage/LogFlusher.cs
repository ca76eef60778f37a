using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Brook.Storage;

/// <summary>
/// Group commit for one data directory. Appenders enqueue their log and await its flush signal;
/// a log queued many times before a worker takes it is flushed once, so N concurrent waiters on a
/// log cost one fsync, not N. Several worker threads take logs from the one queue, so the fsyncs
/// of different partitions run concurrently: a produce request touching 16 partitions waits for
/// about one fsync's time instead of 16 in a row, and the file system can fold the concurrent
/// fsyncs into one journal commit. Workers are dedicated threads because fsync blocks. One more
/// dedicated thread extends active segments' zero windows (docs/storage.md, "Zero window"), so
/// neither an append nor a flush waiting for its fsync pays for writing and syncing the zeros.
/// </summary>
public sealed class LogFlusher : IAsyncDisposable
{
    /// <summary>Concurrent fsyncs by default: enough for a 16-partition request in one round; idle workers cost a blocked thread each.</summary>
    public const int DefaultParallelism = 16;

    // A worker only calls into the flush path; a small stack keeps idle workers cheap.
    private const int WorkerStackBytes = 256 * 1024;

    private readonly ConcurrentQueue<PartitionLog> _queue = new();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ILogger _logger;
    private readonly Thread[] _workers;
    private readonly ConcurrentQueue<PartitionLog> _zeroWindowQueue = new();
    private readonly SemaphoreSlim _zeroWindowSignal = new(0);
    private readonly Thread _zeroWindowWorker;
    private long _passes;
    private long _flushes;
    private int _disposed;

    public LogFlusher(ILogger? logger = null, int parallelism = DefaultParallelism)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parallelism, 1);
        _logger = logger ?? NullLogger.Instance;
        _workers = new Thread[parallelism];
        for (int i = 0; i < parallelism; i++)
        {
            _workers[i] = new Thread(Run, WorkerStackBytes) { IsBackground = true, Name = "brook-flusher" };
            _workers[i].Start();
        }
        _zeroWindowWorker = new Thread(RunZeroWindow, WorkerStackBytes) { IsBackground = true, Name = "brook-zero-window" };
        _zeroWindowWorker.Start();
    }

    /// <summary>
    /// Told how long each flush pass of a log spent making its data durable (its fsyncs), from any
    /// thread, for the broker's metrics; null: nobody. Passes that end after it is set are told.
    /// </summary>
    public Action<TimeSpan>? FlushTimed { get; set; }

    /// <summary>Logs taken from the queue, and log flushes that fsync'd something (to observe group commit).</summary>
    public (long Passes, long Flushes) Statistics => (Volatile.Read(ref _passes), Volatile.Read(ref _flushes));

    /// <summary>Asks for <paramref name="log"/> to be flushed by a worker soon; repeated requests before then coalesce.</summary>
    public void Enqueue(PartitionLog log)
    {
        ArgumentNullException.ThrowIfNull(log);
        if (Interlocked.Exchange(ref log.FlushQueued, 1) == 0)
        {
            _queue.Enqueue(log);
            _signal.Release();
        }
    }

    /// <summary>Asks for <paramref name="log"/>'s zero window to be extended soon; the log's request flag coalesces repeats.</summary>
    internal void EnqueueZeroWindow(PartitionLog log)
    {
        _zeroWindowQueue.Enqueue(log);
        _zeroWindowSignal.Release();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        await _stop.CancelAsync().ConfigureAwait(false);
        foreach (Thread worker in _workers)
        {
            // Each worker finishes the fsync it is in (bounded by the disk), then sees the stop.
            await Task.Run(worker.Join).ConfigureAwait(false);
        }
        await Task.Run(_zeroWindowWorker.Join).ConfigureAwait(false);
        _stop.Dispose();
        _signal.Dispose();
        _zeroWindowSignal.Dispose();
    }

    private void RunZeroWindow() => Serve(_zeroWindowQueue, _zeroWindowSignal, "zero window", static (_, log) => log.ExtendZeroWindow());

    private void Run() => Serve(_queue, _signal, "flush", static (flusher, log) =>
    {
        Interlocked.Increment(ref flusher._passes);
        // Cleared before flushing so a request arriving during this fsync queues the log again.
        Volatile.Write(ref log.FlushQueued, 0);
        if (log.FlushPending())
        {
            Interlocked.Increment(ref flusher._flushes);
        }
    });

    /// <summary>A worker's loop: takes one log per signal from <paramref name="queue"/> and does <paramref name="work"/> on it, logging its failures, until the flusher stops.</summary>
    private void Serve(ConcurrentQueue<PartitionLog> queue, SemaphoreSlim signal, string task, Action<LogFlusher, PartitionLog> work)
    {
        CancellationToken stop = _stop.Token;
        while (true)
        {
            try
            {
                signal.Wait(stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            if (!queue.TryDequeue(out var log))
            {
                continue;
            }
            try
            {
                work(this, log);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                LogMessages.BackgroundTaskFailed(_logger, log.Directory, task, e);
            }
        }
    }
}
