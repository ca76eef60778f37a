using Brook.Protocol.Compression;
using Brook.Protocol.Records;
using Brook.Storage.Transactions;

namespace Brook.Storage;

/// <summary>
/// Transactions as the log sees them (docs/storage.md, "Transactions"): the set of open
/// transactions followed from batch headers and markers, the aborted-transactions index of each
/// segment (an entry per ABORT marker, in the marker's segment), and the points of
/// <c>transaction-state</c> that let start-up and truncation rebuild both without a full scan.
/// </summary>
public sealed partial class PartitionLog
{
    private const int TransactionScanChunkBytes = 1024 * 1024;

    private readonly OpenTransactions _openTransactions = new();
    private bool _hasTransactionState;

    /// <summary>Transactions open at the log end: producer id → first offset (a copy; for the broker's producer state at start-up).</summary>
    public Dictionary<long, long> OpenTransactionsSnapshot()
    {
        lock (_appendLock)
        {
            return new Dictionary<long, long>(_openTransactions.FirstOffsets);
        }
    }

    /// <summary>
    /// Adds to <paramref name="into"/> the aborted transactions that overlap
    /// [<paramref name="fetchOffset"/>, <paramref name="upperBound"/>): those whose ABORT marker is
    /// at or after the fetch offset and whose first offset is below the bound. Reads the index of
    /// the fetch offset's segment and of later ones only until an entry shows nothing later can
    /// overlap; segments without aborts cost a field read.
    /// </summary>
    public void CollectAbortedTransactions(long fetchOffset, long upperBound, List<AbortedTransaction> into)
    {
        ArgumentNullException.ThrowIfNull(into);
        var segments = Volatile.Read(ref _segments);
        int low = 0;
        int high = segments.Length - 1;
        while (low < high)
        {
            int middle = (low + high + 1) >>> 1;
            if (segments[middle].BaseOffset <= fetchOffset)
            {
                low = middle;
            }
            else
            {
                high = middle - 1;
            }
        }
        for (int i = low; i < segments.Length; i++)
        {
            LogSegment segment = segments[i];
            if (segment.TransactionIndex.Count == 0 || !segment.TryAcquire())
            {
                continue;
            }
            try
            {
                if (segment.TransactionIndex.Collect(fetchOffset, upperBound, into))
                {
                    return;
                }
            }
            finally
            {
                segment.Release();
            }
        }
    }

    /// <summary>Append path (append lock held, offsets assigned, bytes written to <paramref name="active"/>): follows transactions, indexes ABORT markers.</summary>
    private void TrackTransactions(ReadOnlySpan<byte> batches, LogSegment active)
    {
        int at = 0;
        while (at < batches.Length)
        {
            var header = new RecordBatchHeader(batches[at..]);
            int size = header.TotalSize;
            if (header.IsTransactional && _openTransactions.Apply(batches.Slice(at, size), out AbortedTransaction aborted))
            {
                active.TransactionIndex.Append(aborted);
            }
            at += size;
        }
    }

    /// <summary>Roll and close: records the open transactions at <paramref name="offset"/>, once the log has ever had any.</summary>
    private void SaveTransactionState(long offset)
    {
        if (_hasTransactionState || _openTransactions.Count > 0)
        {
            TransactionStateFile.Write(Directory, offset, _openTransactions.FirstOffsets);
            _hasTransactionState = true;
        }
    }

    /// <summary>
    /// Start-up: rebuilds the open transactions at the log end and, from
    /// <paramref name="rebuildFrom"/> on (the first segment a crash recovery scanned; the log end
    /// after a clean shutdown), the aborted-transactions indexes. Scans from the nearest
    /// <c>transaction-state</c> point at or below it (the log start if there is none usable).
    /// </summary>
    internal void RestoreTransactions(long rebuildFrom)
    {
        var segments = Volatile.Read(ref _segments);
        foreach (LogSegment segment in segments)
        {
            if (segment.BaseOffset >= rebuildFrom)
            {
                segment.TransactionIndex.Reset();
            }
            else if (segment.TransactionIndex.CutTornTail())
            {
                LogMessages.TransactionIndexRepaired(_logger, Directory, segment.BaseOffset);
            }
        }
        long scanFrom = LoadOpenTransactions(rebuildFrom, rebuildFrom);
        ScanTransactions(scanFrom, LogEndOffset, rebuildFrom);
        foreach (LogSegment segment in segments)
        {
            segment.TransactionIndex.Flush();
        }
    }

    /// <summary>Truncation (append lock held): the open set at the new end, rebuilt from the nearest point below it.</summary>
    private void RestoreOpenTransactionsAfterTruncation(long newEnd)
    {
        long scanFrom = LoadOpenTransactions(newEnd, SegmentHolding(newEnd).BaseOffset);
        ScanTransactions(scanFrom, newEnd, long.MaxValue);
        if (_hasTransactionState)
        {
            TransactionStateFile.Write(Directory, newEnd, _openTransactions.FirstOffsets);
        }
    }

    /// <summary>
    /// Fills the open set from the best point at or below <paramref name="offset"/>; returns where
    /// a scan must start. Without a state file no transaction was ever open at a segment base or a
    /// clean end, so the scan starts empty at <paramref name="startWithoutState"/> (one of those).
    /// </summary>
    private long LoadOpenTransactions(long offset, long startWithoutState)
    {
        _openTransactions.Clear();
        var points = TransactionStateFile.Read(Directory);
        _hasTransactionState = points is not null;
        if (points is null)
        {
            return startWithoutState;
        }
        long first = Volatile.Read(ref _segments)[0].BaseOffset;
        (long Offset, Dictionary<long, long> Open)? best = null;
        foreach (var point in points)
        {
            if (point.Offset <= offset && point.Offset >= first && (best is null || point.Offset > best.Value.Offset))
            {
                best = point;
            }
        }
        if (best is null)
        {
            return first;
        }
        foreach ((long producerId, long firstOffset) in best.Value.Open)
        {
            _openTransactions.Set(producerId, firstOffset);
        }
        return best.Value.Offset;
    }

    /// <summary>Follows transactions over [from, to); ABORT markers at or after <paramref name="indexFrom"/> are written to their segment's index.</summary>
    private void ScanTransactions(long from, long to, long indexFrom)
    {
        using var buffer = new PooledBufferWriter(64 * 1024);
        long offset = from;
        while (offset < to)
        {
            buffer.Clear();
            using (LogReadResult read = Read(offset, TransactionScanChunkBytes, to))
            {
                if (read.Error != StorageErrorCode.None || read.IsEmpty)
                {
                    return;
                }
                read.CopyTo(buffer);
            }
            ReadOnlySpan<byte> bytes = buffer.WrittenSpan;
            long next = offset;
            while (bytes.Length >= RecordBatchHeader.Size)
            {
                var header = new RecordBatchHeader(bytes);
                int size = header.TotalSize;
                if (size < RecordBatchHeader.Size || size > bytes.Length)
                {
                    break;
                }
                if (header.IsTransactional && _openTransactions.Apply(bytes[..size], out AbortedTransaction aborted) && aborted.LastOffset >= indexFrom)
                {
                    SegmentHolding(aborted.LastOffset).TransactionIndex.Append(aborted);
                }
                next = header.LastOffset + 1;
                bytes = bytes[size..];
            }
            if (next <= offset)
            {
                return;
            }
            offset = next;
        }
    }

    private LogSegment SegmentHolding(long offset)
    {
        var segments = Volatile.Read(ref _segments);
        for (int i = segments.Length - 1; i > 0; i--)
        {
            if (segments[i].BaseOffset <= offset)
            {
                return segments[i];
            }
        }
        return segments[0];
    }
}
