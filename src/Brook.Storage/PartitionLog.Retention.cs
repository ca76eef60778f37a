using Brook.Storage.Files;

namespace Brook.Storage;

public sealed partial class PartitionLog
{
    /// <summary>
    /// Kafka's DeleteRecords: moves the log start offset up to <paramref name="offset"/> (at most
    /// the high watermark), persists it, and deletes segments now wholly below it. Returns the
    /// new log start offset (the low watermark) or an error.
    /// </summary>
    public (StorageErrorCode Error, long LogStartOffset) DeleteRecords(long offset)
    {
        if (offset > HighWatermark || offset < 0)
        {
            return (StorageErrorCode.OffsetOutOfRange, LogStartOffset);
        }
        lock (_maintenanceLock)
        {
            if (_closed)
            {
                return (StorageErrorCode.KafkaStorageError, LogStartOffset);
            }
            if (offset > LogStartOffset)
            {
                Volatile.Write(ref _logStartOffset, offset);
                lock (_checkpointLock)
                {
                    WriteCheckpoint(clean: false);
                }
                EpochCache.TruncateFromStart(offset);
            }
            DeleteSegmentsLocked(long.MinValue, -1, "below the log start offset");
            return (StorageErrorCode.None, LogStartOffset);
        }
    }

    /// <summary>
    /// One retention pass (<c>retention.ms</c>, <c>retention.bytes</c>): deletes whole closed
    /// segments from the head, never the active one and never above the high watermark. Appends
    /// go on meanwhile; only the list swap takes the append lock. Returns the segments deleted.
    /// </summary>
    public int DeleteExpiredSegments()
    {
        var config = Config;
        lock (_maintenanceLock)
        {
            if (_closed)
            {
                return 0;
            }
            long now = _options.Time.GetUtcNow().ToUnixTimeMilliseconds();
            long expiredBefore = config.CleanupDelete && config.RetentionMs >= 0 ? now - config.RetentionMs : long.MinValue;
            long retentionBytes = config.CleanupDelete ? config.RetentionBytes : -1;
            return DeleteSegmentsLocked(expiredBefore, retentionBytes, "retention");
        }
    }

    /// <summary>Caller holds the maintenance lock.</summary>
    private int DeleteSegmentsLocked(long expiredBefore, long retentionBytes, string reason)
    {
        var end = Volatile.Read(ref _end);
        var segments = Volatile.Read(ref _segments);
        long highWatermark = HighWatermark;
        long logStart = LogStartOffset;
        long size = SizeInBytes;
        int count = 0;
        while (count < segments.Length - 1 && segments[count] != end.Active)
        {
            var segment = segments[count];
            long next = segments[count + 1].BaseOffset;
            if (next > highWatermark)
            {
                break;
            }
            bool belowStart = next <= logStart;
            bool expired = segment.MaxTimestamp < expiredBefore;
            bool oversized = retentionBytes >= 0 && size - segment.Size >= retentionBytes;
            if (!belowStart && !expired && !oversized)
            {
                break;
            }
            size -= segment.Size;
            count++;
        }
        if (count == 0)
        {
            return 0;
        }
        long newStart = Math.Max(logStart, segments[count].BaseOffset);
        // The start moves before the list shrinks: a reader that sees the shorter list then reads
        // the new start and answers OffsetOutOfRange for the deleted offsets.
        Volatile.Write(ref _logStartOffset, newStart);
        lock (_appendLock)
        {
            var current = Volatile.Read(ref _segments);
            PublishSegments(current[count..]);
        }
        if (Volatile.Read(ref _cleanerOffset) < newStart)
        {
            Volatile.Write(ref _cleanerOffset, newStart);
        }
        try
        {
            // The new start is durable before any file goes: recovery finishes a half-done deletion.
            lock (_checkpointLock)
            {
                WriteCheckpoint(clean: false);
            }
            EpochCache.TruncateFromStart(newStart);
            for (int i = 0; i < count; i++)
            {
                segments[i].Delete();
                LogMessages.SegmentDeleted(_logger, Directory, segments[i].BaseOffset, reason, newStart);
            }
            Durable.SyncDirectory(Directory);
        }
        catch (IOException e)
        {
            GoOffline(e);
        }
        return count;
    }
}
