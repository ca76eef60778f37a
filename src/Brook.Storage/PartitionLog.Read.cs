namespace Brook.Storage;

public sealed partial class PartitionLog
{
    /// <summary>
    /// Reads whole batches from <paramref name="offset"/>: at most <paramref name="maxBytes"/>
    /// (but at least the first batch when <paramref name="minOneBatch"/>), and only batches wholly
    /// below <paramref name="maxOffset"/> (the high watermark or last stable offset the caller
    /// serves up to). Never blocks appends. Dispose the result after copying it.
    /// </summary>
    public LogReadResult Read(long offset, int maxBytes, long maxOffset, bool minOneBatch = true)
    {
        for (int attempt = 0; ; attempt++)
        {
            var end = Volatile.Read(ref _end);
            var segments = Volatile.Read(ref _segments);
            long logStart = LogStartOffset;
            if (offset < logStart || offset > end.EndOffset)
            {
                return LogReadResult.Failed(StorageErrorCode.OffsetOutOfRange, logStart, end.EndOffset);
            }
            long bound = Math.Min(maxOffset, end.EndOffset);
            if (offset >= bound)
            {
                return LogReadResult.Empty(logStart, end.EndOffset);
            }
            var result = TryRead(segments, end, offset, bound, maxBytes, minOneBatch, logStart, out bool segmentGone);
            if (!segmentGone || attempt >= 3)
            {
                return result ?? LogReadResult.Empty(logStart, end.EndOffset);
            }
            // A segment closed under us (retention or compaction): read again from the new state.
        }
    }

    /// <summary>
    /// ListOffsets: the first offset whose timestamp is at least <paramref name="timestamp"/>, or
    /// one of the special values of <see cref="ListOffsetsTimestamp"/>.
    /// </summary>
    public TimestampOffset OffsetForTimestamp(long timestamp)
    {
        var end = Volatile.Read(ref _end);
        var segments = Volatile.Read(ref _segments);
        switch (timestamp)
        {
            case ListOffsetsTimestamp.Earliest:
                return new TimestampOffset(-1, LogStartOffset);
            case ListOffsetsTimestamp.Latest:
                return new TimestampOffset(-1, end.EndOffset);
            case ListOffsetsTimestamp.MaxTimestamp:
                return MaxTimestampOffset(segments, end);
        }
        long logStart = LogStartOffset;
        foreach (var segment in segments)
        {
            if (segment.MaxTimestamp < timestamp || !segment.TryAcquire())
            {
                continue;
            }
            try
            {
                int limit = segment == end.Active ? end.ActiveSize : segment.Size;
                var found = segment.FindOffsetByTimestamp(timestamp, limit);
                if (found.Offset >= 0)
                {
                    return found with { Offset = Math.Max(found.Offset, logStart) };
                }
            }
            finally
            {
                segment.Release();
            }
        }
        return TimestampOffset.None;
    }

    private static TimestampOffset MaxTimestampOffset(LogSegment[] segments, LogEnd end)
    {
        LogSegment? best = null;
        foreach (var segment in segments)
        {
            if (segment.MaxTimestamp >= 0 && (best is null || segment.MaxTimestamp > best.MaxTimestamp))
            {
                best = segment;
            }
        }
        if (best is null || !best.TryAcquire())
        {
            return TimestampOffset.None;
        }
        try
        {
            int limit = best == end.Active ? end.ActiveSize : best.Size;
            return new TimestampOffset(best.MaxTimestamp, best.FindOffsetOfMaxTimestamp(limit));
        }
        finally
        {
            best.Release();
        }
    }

    private static LogReadResult? TryRead(LogSegment[] segments, LogEnd end, long offset, long bound, int maxBytes, bool minOneBatch, long logStart, out bool segmentGone)
    {
        segmentGone = false;
        for (int i = FloorSegment(segments, offset); i < segments.Length; i++)
        {
            var segment = segments[i];
            if (segment.BaseOffset >= bound)
            {
                return null;
            }
            if (!segment.TryAcquire())
            {
                segmentGone = true;
                return null;
            }
            int limit = segment == end.Active ? end.ActiveSize : segment.Size;
            int position = segment.FindBatch(offset, limit, out int firstSize);
            if (position < 0)
            {
                segment.Release(); // past this segment's last batch (e.g. a compacted gap): try the next
                continue;
            }
            int boundPosition = limit;
            if (bound < end.EndOffset)
            {
                int boundBatch = segment.FindBatch(bound, limit, out _);
                if (boundBatch >= 0)
                {
                    boundPosition = boundBatch;
                }
            }
            int available = boundPosition - position;
            long endOffset = offset;
            int length = Math.Min(available, Math.Max(0, maxBytes));
            if (length < firstSize)
            {
                length = minOneBatch && available >= firstSize ? firstSize : 0;
            }
            // Whole batches only, known before any byte is read: a sender may stream the slice
            // straight from the file after writing its length.
            int wholeEnd = length <= 0 ? position : segment.WholeBatchesEnd(position, position + length, offset, out endOffset);
            if (wholeEnd <= position)
            {
                segment.Release();
                return null;
            }
            return LogReadResult.Slice(segment, position, wholeEnd - position, endOffset, logStart, end.EndOffset);
        }
        return null;
    }

    /// <summary>Index of the last segment whose base offset is at most <paramref name="offset"/> (0 if none).</summary>
    private static int FloorSegment(LogSegment[] segments, long offset)
    {
        int low = 0;
        int high = segments.Length - 1;
        int found = 0;
        while (low <= high)
        {
            int middle = (low + high) >>> 1;
            if (segments[middle].BaseOffset <= offset)
            {
                found = middle;
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }
        return found;
    }
}
