using System.Diagnostics;
using Brook.Storage.Files;

namespace Brook.Storage;

public sealed partial class PartitionLog
{
    private long _flushedOffset;
    private bool _directoryDirty;
    private long _firstUnflushedAppendMs = -1;
    private TaskCompletionSource _flushDone;
    private long _flushCount;
    internal int FlushQueued;

    /// <summary>Held while a flush runs; tests hold it to stand for a slow fsync.</summary>
    internal Lock FlushLock => _flushLock;

    /// <summary>Flush passes that fsync'd something since the log was opened (fewer than appends means group commit worked).</summary>
    public long FlushCount => Volatile.Read(ref _flushCount);

    /// <summary>Clock time of the oldest append not yet flushed, or -1 (for <c>flush.ms</c>).</summary>
    internal long FirstUnflushedAppendMs => Volatile.Read(ref _firstUnflushedAppendMs);

    /// <summary>
    /// Completes once every offset below <paramref name="endOffset"/> is fsync'd (pass
    /// <see cref="AppendResult.EndOffset"/>). Concurrent waiters share one fsync: the flusher
    /// flushes each dirty log once per pass (group commit). Returns KafkaStorageError if the log
    /// went offline before that, OffsetOutOfRange if the offsets were truncated away meanwhile.
    /// </summary>
    public ValueTask<StorageErrorCode> WaitForFlushAsync(long endOffset, CancellationToken cancellationToken = default) =>
        WaitForFlushAsync(endOffset, mayFlushOnCallerThread: true, cancellationToken);

    /// <summary>
    /// As <see cref="WaitForFlushAsync(long, CancellationToken)"/>; with
    /// <paramref name="mayFlushOnCallerThread"/> false the fsync is always left to the flusher's
    /// workers and this returns at once with a pending task, so a caller waiting on several
    /// partitions can start all their flushes before awaiting any (they then run concurrently).
    /// </summary>
    public ValueTask<StorageErrorCode> WaitForFlushAsync(long endOffset, bool mayFlushOnCallerThread, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _flushedOffset) >= endOffset)
        {
            return new ValueTask<StorageErrorCode>(StorageErrorCode.None);
        }
        return IsOfflineForWrites || _closed
            ? new ValueTask<StorageErrorCode>(StorageErrorCode.KafkaStorageError)
            : WaitForFlushSlowAsync(endOffset, mayFlushOnCallerThread, cancellationToken);
    }

    /// <summary>fsyncs everything appended so far, on the caller's thread.</summary>
    public void Flush() => _ = FlushPending();

    private async ValueTask<StorageErrorCode> WaitForFlushSlowAsync(long endOffset, bool mayFlushOnCallerThread, CancellationToken cancellationToken)
    {
        while (true)
        {
            // Take the signal before checking: a flush that completes after the check completes this signal.
            var done = Volatile.Read(ref _flushDone);
            if (Volatile.Read(ref _flushedOffset) >= endOffset)
            {
                return StorageErrorCode.None;
            }
            if (IsOfflineForWrites || _closed)
            {
                return StorageErrorCode.KafkaStorageError;
            }
            if (endOffset > LogEndOffset)
            {
                return StorageErrorCode.OffsetOutOfRange; // truncated away (or never appended): it will not become durable
            }
            var flusher = _options.Flusher;
            if (flusher is null)
            {
                _ = FlushPending(); // waits for a running flush, then flushes for everyone behind it
                continue;
            }
            if (mayFlushOnCallerThread && _options.FlushOnWaitingThread && _flushLock.TryEnter())
            {
                // No flush running: lead one here, saving two thread hand-offs; later waiters share it.
                try
                {
                    _ = FlushPendingLocked();
                }
                finally
                {
                    _flushLock.Exit();
                }
                continue;
            }
            flusher.Enqueue(this);
            await done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// One flush pass: fsyncs the segments holding unflushed data (and the directory if a segment
    /// was created), then publishes the new flushed offset and wakes the waiters. Returns whether
    /// it had anything to fsync.
    /// </summary>
    internal bool FlushPending()
    {
        bool flushed;
        lock (_flushLock)
        {
            flushed = FlushPendingLocked();
        }
        ExtendZeroWindowWithoutFlusher(); // after the waiters were released
        return flushed;
    }

    /// <summary>Caller holds <see cref="_flushLock"/>.</summary>
    private bool FlushPendingLocked()
    {
        if (_closed || IsOfflineForWrites)
        {
            return false;
        }
        var end = Volatile.Read(ref _end);
        var segments = Volatile.Read(ref _segments);
        long flushed = Volatile.Read(ref _flushedOffset);
        if (end.EndOffset <= flushed && !Volatile.Read(ref _directoryDirty))
        {
            return false;
        }
        Volatile.Write(ref _firstUnflushedAppendMs, -1);
        Interlocked.Exchange(ref _unflushedMessages, 0);
        long started = Stopwatch.GetTimestamp();
        try
        {
            foreach (var segment in segments)
            {
                if ((segment.NextOffset > flushed || segment == end.Active) && segment.TryAcquire())
                {
                    try
                    {
                        segment.Flush(includeIndexes: false);
                    }
                    finally
                    {
                        segment.Release();
                    }
                }
            }
            if (Volatile.Read(ref _directoryDirty))
            {
                Volatile.Write(ref _directoryDirty, false);
                Durable.SyncDirectory(Directory);
            }
        }
        catch (IOException e)
        {
            GoOffline(e); // after a failed fsync the page cache may have dropped data: stop writing
            return false;
        }
        _options.Flusher?.FlushTimed?.Invoke(Stopwatch.GetElapsedTime(started));
        Volatile.Write(ref _flushedOffset, Math.Max(flushed, end.EndOffset));
        Interlocked.Increment(ref _flushCount);
        CompleteFlushWaiters();
        return true;
    }

    private void NoteUnflushed(long records, long now, LogConfig config)
    {
        if (Volatile.Read(ref _firstUnflushedAppendMs) < 0)
        {
            Volatile.Write(ref _firstUnflushedAppendMs, now);
        }
        long unflushed = Interlocked.Add(ref _unflushedMessages, records);
        if (unflushed >= config.FlushMessages)
        {
            if (_options.Flusher is { } flusher)
            {
                flusher.Enqueue(this);
            }
            else
            {
                _ = FlushPending();
            }
        }
    }

    private void CompleteFlushWaiters()
    {
        var done = Interlocked.Exchange(ref _flushDone, NewFlushSignal());
        done.TrySetResult();
    }

    private static TaskCompletionSource NewFlushSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
