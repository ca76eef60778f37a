using Brook.Storage.Checkpoints;
using Brook.Storage.Files;

namespace Brook.Storage;

public sealed partial class PartitionLog
{
    /// <summary>
    /// Removes every batch holding an offset at or after <paramref name="offset"/> (replication
    /// truncating a divergent tail). Segments are deleted newest first and the cut is fsync'd, so
    /// a crash leaves a prefix of the old log, never a hole. Returns the new log end offset.
    /// </summary>
    public long TruncateTo(long offset)
    {
        lock (_maintenanceLock)
        {
            lock (_appendLock)
            {
                lock (_flushLock)
                {
                    if (offset >= _end.EndOffset || _closed)
                    {
                        return _end.EndOffset;
                    }
                    var segments = Volatile.Read(ref _segments);
                    if (offset <= segments[0].BaseOffset || offset < LogStartOffset)
                    {
                        return TruncateFullyLocked(offset);
                    }
                    EnsureCheckpointDirty();
                    int keep = segments.Length;
                    while (keep > 1 && segments[keep - 1].BaseOffset >= offset)
                    {
                        keep--;
                    }
                    var remaining = segments[..keep];
                    var active = remaining[^1];
                    long newEnd;
                    try
                    {
                        for (int i = segments.Length - 1; i >= keep; i--)
                        {
                            segments[i].Delete();
                        }
                        newEnd = active.TruncateTo(Math.Max(offset, LogStartOffset));
                        active.Flush(includeIndexes: false);
                        Durable.SyncDirectory(Directory);
                    }
                    catch (IOException e)
                    {
                        GoOffline(e);
                        return _end.EndOffset;
                    }
                    PublishSegments(remaining);
                    Volatile.Write(ref _end, new LogEnd(newEnd, active, active.Size));
                    if (newEnd < LogStartOffset)
                    {
                        // The cut fell inside the batch holding the log start: nothing readable is left.
                        return TruncateFullyLocked(LogStartOffset);
                    }
                    LowerOffsetsTo(newEnd);
                    RestoreOpenTransactionsAfterTruncation(newEnd);
                    try
                    {
                        // A stale recovery point above the cut would let a later crash trust
                        // segments appended after it without scanning them.
                        lock (_checkpointLock)
                        {
                            WriteCheckpoint(clean: false);
                        }
                    }
                    catch (IOException e)
                    {
                        GoOffline(e);
                    }
                    EpochCache.TruncateFromEnd(newEnd);
                    return newEnd;
                }
            }
        }
    }

    /// <summary>
    /// Empties the log and restarts it at <paramref name="offset"/> (a replica too far behind the
    /// leader's log start). The new start is checkpointed first; then old segments go newest first.
    /// </summary>
    public long TruncateFullyAndStartAt(long offset)
    {
        lock (_maintenanceLock)
        {
            lock (_appendLock)
            {
                lock (_flushLock)
                {
                    return _closed ? _end.EndOffset : TruncateFullyLocked(offset);
                }
            }
        }
    }

    /// <summary>Caller holds the maintenance, append and flush locks.</summary>
    private long TruncateFullyLocked(long offset)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        var segments = Volatile.Read(ref _segments);
        try
        {
            lock (_checkpointLock)
            {
                new PartitionCheckpoint(offset, offset, offset, CleanShutdown: false).Write(Directory);
                _checkpointSaysClean = false;
            }
            for (int i = segments.Length - 1; i >= 0; i--)
            {
                segments[i].Delete();
            }
            var fresh = LogSegment.Create(Directory, offset, Config);
            _openTransactions.Clear();
            SaveTransactionState(offset);
            Durable.SyncDirectory(Directory);
            PublishSegments([fresh]);
            Volatile.Write(ref _end, new LogEnd(offset, fresh, 0));
        }
        catch (IOException e)
        {
            GoOffline(e);
            return _end.EndOffset;
        }
        Volatile.Write(ref _logStartOffset, offset);
        Volatile.Write(ref _flushedOffset, offset);
        Volatile.Write(ref _highWatermark, offset);
        Volatile.Write(ref _cleanerOffset, offset);
        EpochCache.Clear();
        CompleteFlushWaiters();
        return offset;
    }

    private void LowerOffsetsTo(long newEnd)
    {
        if (Volatile.Read(ref _flushedOffset) > newEnd)
        {
            Volatile.Write(ref _flushedOffset, newEnd);
        }
        if (Volatile.Read(ref _highWatermark) > newEnd)
        {
            Volatile.Write(ref _highWatermark, newEnd);
        }
        if (Volatile.Read(ref _cleanerOffset) > newEnd)
        {
            Volatile.Write(ref _cleanerOffset, newEnd);
        }
    }
}
