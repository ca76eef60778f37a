using Brook.Storage.Compaction;
using Brook.Storage.Files;

namespace Brook.Storage;

/// <summary>What one compaction pass did.</summary>
public readonly record struct CompactionResult(int SegmentsRewritten, long BytesBefore, long BytesAfter, long CleanedUpTo);

public sealed partial class PartitionLog
{
    /// <summary>Keys one pass may track; beyond this the pass cleans only up to where the map filled.</summary>
    public const int DefaultMaxCompactionKeys = 4_000_000;

    /// <summary>
    /// One compaction pass (<c>cleanup.policy=compact</c>): over the closed segments below the high
    /// watermark and older than <c>min.compaction.lag.ms</c>, keeps the latest record per key,
    /// drops tombstones in segments older than <c>delete.retention.ms</c>, and swaps each rewritten
    /// segment in by an atomic rename. Runs when the dirty share reaches
    /// <c>min.cleanable.dirty.ratio</c>, or always with <paramref name="force"/>.
    /// </summary>
    public CompactionResult Compact(bool force = false, int maxKeys = DefaultMaxCompactionKeys)
    {
        var config = Config;
        if (!config.CleanupCompact)
        {
            return default;
        }
        lock (_maintenanceLock)
        {
            if (_closed || IsOfflineForWrites)
            {
                return default;
            }
            long now = _options.Time.GetUtcNow().ToUnixTimeMilliseconds();
            var end = Volatile.Read(ref _end);
            var segments = Volatile.Read(ref _segments);
            int cleanable = CountCleanable(segments, end, now, config);
            if (cleanable == 0)
            {
                return default;
            }
            long cleanerOffset = CleanerOffset;
            long dirty = 0;
            long total = 0;
            for (int i = 0; i < cleanable; i++)
            {
                total += segments[i].Size;
                if (segments[i + 1].BaseOffset > cleanerOffset)
                {
                    dirty += segments[i].Size;
                }
            }
            if (!force && (dirty == 0 || (double)dirty / Math.Max(1, total) < config.MinCleanableDirtyRatio))
            {
                return default;
            }

            var outcomes = new TransactionOutcomes();
            for (int i = 0; i < cleanable; i++)
            {
                SegmentCompactor.FindTransactionOutcomes(segments[i], outcomes);
            }
            var map = new KeyOffsetMap(maxKeys);
            int cleanUpTo = cleanable;
            for (int i = 0; i < cleanable; i++)
            {
                if (segments[i + 1].BaseOffset > cleanerOffset && !SegmentCompactor.AddKeys(segments[i], map, outcomes))
                {
                    cleanUpTo = i + 1; // map full: clean only what it covers
                    break;
                }
            }

            EnsureCheckpointDirty();
            long deleteHorizon = now - config.DeleteRetentionMs;
            int rewritten = 0;
            long before = 0;
            long after = 0;
            var dataLeft = new TransactionDataLeft(); // segments in offset order from the log's start
            for (int i = 0; i < cleanUpTo; i++)
            {
                var segment = segments[i];
                long size = segment.Size;
                before += size;
                long newSize = RewriteSegment(segment, map, outcomes, dataLeft, segment.MaxTimestamp < deleteHorizon, config);
                after += newSize < 0 ? size : newSize;
                rewritten += newSize < 0 ? 0 : 1;
            }
            long cleanedUpTo = segments[cleanUpTo].BaseOffset;
            Volatile.Write(ref _cleanerOffset, Math.Max(cleanerOffset, cleanedUpTo));
            lock (_checkpointLock)
            {
                WriteCheckpoint(clean: false);
            }
            return new CompactionResult(rewritten, before, after, cleanedUpTo);
        }
    }

    /// <summary>Leading closed segments wholly below the high watermark and past the compaction lag.</summary>
    private int CountCleanable(LogSegment[] segments, LogEnd end, long now, LogConfig config)
    {
        long highWatermark = HighWatermark;
        int count = 0;
        while (count < segments.Length - 1 && segments[count] != end.Active)
        {
            if (segments[count + 1].BaseOffset > highWatermark
                || (config.MinCompactionLagMs > 0 && segments[count].MaxTimestamp > now - config.MinCompactionLagMs))
            {
                break;
            }
            count++;
        }
        return count;
    }

    /// <summary>
    /// Writes the compacted copy, then swaps it in: drop the old indexes, rename the copy over
    /// the <c>.log</c> (atomic), fsync the directory, rebuild and seal the indexes. A crash at any
    /// point leaves the old or the new file, and recovery rebuilds missing indexes.
    /// </summary>
    private long RewriteSegment(LogSegment segment, KeyOffsetMap map, TransactionOutcomes outcomes, TransactionDataLeft dataLeft, bool dropTombstones, LogConfig config)
    {
        string cleanedPath = segment.LogPath + SegmentFileNames.CleanedSuffix;
        var droppedAborts = new List<long>();
        long newSize = SegmentCompactor.Write(segment, map, outcomes, dataLeft, dropTombstones, cleanedPath, droppedAborts);
        if (newSize < 0)
        {
            File.Delete(cleanedPath);
            return -1;
        }
        if (droppedAborts.Count > 0)
        {
            // Before the markers go: an index entry without its marker would have read_committed
            // consumers skip the producer's later batches, a marker without its entry harms nobody
            // (its aborted data went in an earlier pass).
            segment.TransactionIndex.WriteWithout(droppedAborts, segment.TransactionIndex.Path + SegmentFileNames.CleanedSuffix);
            Durable.SyncDirectory(Directory);
        }
        File.Delete(segment.OffsetIndex.Path);
        File.Delete(segment.TimeIndex.Path);
        File.Move(cleanedPath, segment.LogPath, overwrite: true);
        Durable.SyncDirectory(Directory);

        var replacement = LogSegment.Open(Directory, segment.BaseOffset, config);
        replacement.Rebuild(verifyCrc: false);
        replacement.Seal();
        replacement.Flush(includeIndexes: true);
        lock (_appendLock)
        {
            var current = Volatile.Read(ref _segments);
            var updated = (LogSegment[])current.Clone();
            updated[Array.IndexOf(current, segment)] = replacement;
            PublishSegments(updated);
        }
        segment.Release(); // readers still holding it keep the old file open until they finish
        LogMessages.Compacted(_logger, Directory, segment.BaseOffset, segment.Size, newSize);
        return newSize;
    }
}
