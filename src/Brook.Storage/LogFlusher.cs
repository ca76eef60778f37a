using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Brook.Storage;

/// <summary>
/// Group commit for one data directory: a single background loop that fsyncs every log someone
/// is waiting on. Appenders enqueue their log and await its flush signal; each pass flushes each
/// queued log once, so N concurrent waiters on a log cost one fsync, not N.
/// </summary>
public sealed class LogFlusher : IAsyncDisposable
{
    private readonly ConcurrentQueue<PartitionLog> _queue = new();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ILogger _logger;
    private readonly Task _loop;
    private long _passes;
    private long _flushes;

    public LogFlusher(ILogger? logger = null)
    {
        _logger = logger ?? NullLogger.Instance;
        _loop = Task.Factory.StartNew(RunAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

    /// <summary>Number of passes and of log flushes that fsync'd something (to observe group commit).</summary>
    public (long Passes, long Flushes) Statistics => (Volatile.Read(ref _passes), Volatile.Read(ref _flushes));

    /// <summary>Asks for <paramref name="log"/> to be flushed in the next pass; repeated requests coalesce.</summary>
    public void Enqueue(PartitionLog log)
    {
        ArgumentNullException.ThrowIfNull(log);
        if (Interlocked.Exchange(ref log.FlushQueued, 1) == 0)
        {
            _queue.Enqueue(log);
            _signal.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
        _stop.Dispose();
        _signal.Dispose();
    }

    private async Task RunAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            await _signal.WaitAsync(_stop.Token).ConfigureAwait(false);
            Interlocked.Increment(ref _passes);
            int pending = _queue.Count;
            for (int i = 0; i < pending + 1 && _queue.TryDequeue(out var log); i++)
            {
                // Cleared before flushing so a request arriving during this fsync queues the log again.
                Volatile.Write(ref log.FlushQueued, 0);
                try
                {
                    if (log.FlushPending())
                    {
                        Interlocked.Increment(ref _flushes);
                    }
                }
                catch (Exception e) when (e is IOException or ObjectDisposedException)
                {
                    LogMessages.BackgroundTaskFailed(_logger, log.Directory, "flush", e);
                }
            }
        }
    }
}
