using Brook.Storage.Checkpoints;
using Brook.Storage.Files;

namespace Brook.Storage;

/// <summary>
/// Start-up of one partition log: removes leftovers of interrupted operations, loads the
/// segments, and after an unclean shutdown scans from the recovery point, cutting a torn or
/// corrupt tail back to the last whole batch, and a zero tail quietly (docs/storage.md, "Recovery").
/// </summary>
internal static class LogLoader
{
    public static PartitionLog Load(string directory, LogConfig config, LogOptions options)
    {
        System.IO.Directory.CreateDirectory(directory);
        RemoveLeftovers(directory);
        var checkpoint = PartitionCheckpoint.Read(directory);
        var baseOffsets = ListSegments(directory);
        var segments = new List<LogSegment>();
        long logStart = checkpoint.LogStartOffset;

        // Retention advances the log start offset durably before deleting; finish what a crash interrupted.
        while (baseOffsets.Count > 1 && baseOffsets[1] <= logStart)
        {
            DeleteSegmentFiles(directory, baseOffsets[0]);
            baseOffsets.RemoveAt(0);
        }

        bool clean = checkpoint.CleanShutdown;
        long rebuildTransactionsFrom = long.MaxValue; // after a clean shutdown the transaction indexes are trusted
        if (baseOffsets.Count == 0)
        {
            segments.Add(LogSegment.Create(directory, logStart, config));
            Durable.SyncDirectory(directory);
        }
        else if (clean)
        {
            for (int i = 0; i < baseOffsets.Count; i++)
            {
                var segment = LogSegment.Open(directory, baseOffsets[i], config);
                segment.LoadTrusted(i + 1 < baseOffsets.Count ? baseOffsets[i + 1] : -1);
                segments.Add(segment);
            }
        }
        else
        {
            rebuildTransactionsFrom = RecoverUnclean(directory, config, options, checkpoint.RecoveryPoint, baseOffsets, segments);
        }

        logStart = Math.Max(logStart, segments[0].BaseOffset);
        if (segments[^1].NextOffset < logStart)
        {
            // A crash inside TruncateFullyAndStartAt: the checkpoint already names the new start.
            foreach (var segment in segments)
            {
                segment.Delete();
            }
            segments.Clear();
            segments.Add(LogSegment.Create(directory, logStart, config));
            Durable.SyncDirectory(directory);
        }

        long cleanerOffset = Math.Clamp(checkpoint.CleanerOffset, logStart, segments[^1].NextOffset);
        var log = PartitionLog.FromLoaded(directory, config, options, [.. segments], logStart, cleanerOffset, clean);
        log.EpochCache.TruncateFromEnd(log.LogEndOffset);
        log.EpochCache.TruncateFromStart(logStart);
        log.RestoreTransactions(Math.Min(rebuildTransactionsFrom, log.LogEndOffset));
        return log;
    }

    /// <summary>Returns the base offset of the first segment scanned (its derived data, transaction index included, is rebuilt from there).</summary>
    private static long RecoverUnclean(string directory, LogConfig config, LogOptions options, long recoveryPoint, List<long> baseOffsets, List<LogSegment> segments)
    {
        // Segments wholly below the recovery point were flushed, indexes included: trust them.
        int firstToScan = 0;
        for (int i = 0; i < baseOffsets.Count; i++)
        {
            if (baseOffsets[i] <= recoveryPoint)
            {
                firstToScan = i;
            }
        }
        for (int i = 0; i < firstToScan; i++)
        {
            var segment = LogSegment.Open(directory, baseOffsets[i], config);
            segment.LoadTrusted(baseOffsets[i + 1]);
            segments.Add(segment);
        }
        for (int i = firstToScan; i < baseOffsets.Count; i++)
        {
            var segment = LogSegment.Open(directory, baseOffsets[i], config);
            var cut = segment.Rebuild(verifyCrc: true);
            bool last = i == baseOffsets.Count - 1;
            bool overlapsNext = !last && segment.NextOffset > baseOffsets[i + 1];
            segments.Add(segment);
            if (cut.Damaged)
            {
                LogMessages.TruncatedTail(options.Logger, directory, cut.Bytes, segment.BaseOffset, segment.NextOffset);
            }
            // A cut zero tail is the window written ahead of the appends (docs/storage.md): nothing was lost.
            if ((cut.Damaged || overlapsNext) && !last)
            {
                // Data after damage cannot be trusted to follow on: drop the rest of the log.
                for (int j = baseOffsets.Count - 1; j > i; j--)
                {
                    DeleteSegmentFiles(directory, baseOffsets[j]);
                    LogMessages.DroppedSegmentAfterDamage(options.Logger, directory, baseOffsets[j]);
                }
                Durable.SyncDirectory(directory);
                break;
            }
            if (!last)
            {
                segment.Seal();
            }
        }
        // What the scan kept becomes durable before the log claims it is flushed.
        for (int i = firstToScan; i < segments.Count; i++)
        {
            segments[i].Flush(includeIndexes: true);
        }
        LogMessages.Recovered(options.Logger, directory, recoveryPoint, segments.Count - firstToScan, segments[^1].NextOffset);
        return segments[Math.Min(firstToScan, segments.Count - 1)].BaseOffset;
    }

    private static void RemoveLeftovers(string directory)
    {
        foreach (string path in System.IO.Directory.EnumerateFiles(directory))
        {
            string name = Path.GetFileName(path);
            if (name.EndsWith(SegmentFileNames.CleanedSuffix, StringComparison.Ordinal)
                || name.EndsWith(SegmentFileNames.DeletedSuffix, StringComparison.Ordinal)
                || name.EndsWith(SegmentFileNames.TemporarySuffix, StringComparison.Ordinal))
            {
                File.Delete(path);
            }
        }
    }

    /// <summary>Base offsets of the <c>.log</c> files, sorted; index files without a log are removed.</summary>
    private static List<long> ListSegments(string directory)
    {
        var logs = new SortedSet<long>();
        var indexes = new List<(long BaseOffset, string Path)>();
        foreach (string path in System.IO.Directory.EnumerateFiles(directory))
        {
            string name = Path.GetFileName(path);
            if (SegmentFileNames.TryParseBaseOffset(name, SegmentFileNames.LogSuffix, out long baseOffset))
            {
                logs.Add(baseOffset);
            }
            else if (SegmentFileNames.TryParseBaseOffset(name, SegmentFileNames.IndexSuffix, out baseOffset)
                || SegmentFileNames.TryParseBaseOffset(name, SegmentFileNames.TimeIndexSuffix, out baseOffset)
                || SegmentFileNames.TryParseBaseOffset(name, SegmentFileNames.TransactionIndexSuffix, out baseOffset))
            {
                indexes.Add((baseOffset, path));
            }
        }
        foreach (var (baseOffset, path) in indexes)
        {
            if (!logs.Contains(baseOffset))
            {
                File.Delete(path);
            }
        }
        return [.. logs];
    }

    private static void DeleteSegmentFiles(string directory, long baseOffset)
    {
        File.Delete(SegmentFileNames.LogFile(directory, baseOffset));
        File.Delete(SegmentFileNames.IndexFile(directory, baseOffset));
        File.Delete(SegmentFileNames.TimeIndexFile(directory, baseOffset));
        File.Delete(SegmentFileNames.TransactionIndexFile(directory, baseOffset));
    }
}
