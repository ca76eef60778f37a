using System.Collections.Concurrent;

namespace Brook.Storage;

/// <summary>
/// Extends active segments' zero windows (docs/storage.md, "Zero window") on one background
/// thread of its own, so neither an append nor a flush waiting for its fsync pays for writing
/// and syncing the zeros. Requests for a log coalesce until it is extended.
/// </summary>
internal static class ZeroWindowExtender
{
    private static readonly ConcurrentQueue<PartitionLog> s_queue = new();
    private static readonly SemaphoreSlim s_signal = new(0);
    private static readonly Lock s_startLock = new();
    private static Thread? s_worker;

    /// <summary>Queues <paramref name="log"/>; the caller set its request flag, which coalesces repeats.</summary>
    public static void Enqueue(PartitionLog log)
    {
        EnsureStarted();
        s_queue.Enqueue(log);
        s_signal.Release();
    }

    private static void EnsureStarted()
    {
        if (Volatile.Read(ref s_worker) is not null)
        {
            return;
        }
        lock (s_startLock)
        {
            if (s_worker is null)
            {
                var worker = new Thread(Run, 256 * 1024) { IsBackground = true, Name = "brook-zero-window" };
                worker.Start();
                Volatile.Write(ref s_worker, worker);
            }
        }
    }

    private static void Run()
    {
        while (true)
        {
            s_signal.Wait();
            if (!s_queue.TryDequeue(out var log))
            {
                continue;
            }
            try
            {
                log.ExtendZeroWindow();
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                LogMessages.BackgroundTaskFailed(log.Logger, log.Directory, "zero window", e);
            }
        }
    }
}
