using Brook.Protocol.Records;

namespace Brook.Storage.Transactions;

/// <summary>
/// The transactions open at some offset of the log: producer id → first offset, followed batch by
/// batch from headers (a transactional data batch opens one for its producer if none is open) and
/// end-transaction markers (which close it; an ABORT yields the index entry). Per batch only the
/// header is read, plus the one record key of a control batch; no per-record work.
/// </summary>
public sealed class OpenTransactions
{
    private readonly Dictionary<long, long> _firstOffsets = [];

    public int Count => _firstOffsets.Count;

    /// <summary>(producer id, first offset) of every open transaction.</summary>
    public IReadOnlyDictionary<long, long> FirstOffsets => _firstOffsets;

    /// <summary>Applies one batch (offsets assigned); true with the entry when it is an ABORT marker that closed an open transaction.</summary>
    public bool Apply(ReadOnlySpan<byte> batch, out AbortedTransaction aborted)
    {
        aborted = default;
        var header = new RecordBatchHeader(batch);
        if (!header.IsTransactional || header.ProducerId < 0)
        {
            return false;
        }
        long producerId = header.ProducerId;
        if (!header.IsControl)
        {
            _firstOffsets.TryAdd(producerId, header.BaseOffset);
            return false;
        }
        if (!TryReadMarkerType(batch, out ControlRecordType type) || !_firstOffsets.Remove(producerId, out long firstOffset))
        {
            return false;
        }
        if (type != ControlRecordType.Abort)
        {
            return false;
        }
        long markerOffset = header.BaseOffset;
        long lastStable = markerOffset + 1;
        foreach (long open in _firstOffsets.Values)
        {
            lastStable = Math.Min(lastStable, open);
        }
        aborted = new AbortedTransaction(producerId, firstOffset, markerOffset, lastStable);
        return true;
    }

    public void Clear() => _firstOffsets.Clear();

    public void Set(long producerId, long firstOffset) => _firstOffsets[producerId] = firstOffset;

    /// <summary>The type of an end-transaction marker batch; false for other control batches and compressed ones.</summary>
    public static bool TryReadMarkerType(ReadOnlySpan<byte> batch, out ControlRecordType type)
    {
        type = default;
        var header = new RecordBatchHeader(batch);
        if (!header.IsControl || header.Compression != CompressionType.None || header.RecordsCount < 1)
        {
            return false;
        }
        var records = new RecordEnumerator(batch[RecordBatchHeader.Size..header.TotalSize], 1);
        return records.MoveNext()
            && ControlRecord.TryReadKey(records.Current.Key, out _, out type)
            && ControlRecord.IsEndTransactionMarker(type);
    }
}
