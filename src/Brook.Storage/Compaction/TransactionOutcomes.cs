using Brook.Protocol.Records;

namespace Brook.Storage.Compaction;

/// <summary>
/// Which transactional batches of the cleanable range were committed or aborted, found by
/// pairing each producer's data batches with the next ABORT or COMMIT control marker.
/// Transactions whose marker lies beyond the range stay undecided and their batches are kept whole.
/// </summary>
internal sealed class TransactionOutcomes
{
    private readonly Dictionary<long, List<long>> _open = [];
    private readonly HashSet<long> _aborted = [];
    private readonly HashSet<long> _committed = [];

    public void Observe(ReadOnlySpan<byte> batch)
    {
        var header = new RecordBatchHeader(batch);
        if (!header.IsTransactional)
        {
            return;
        }
        if (!header.IsControl)
        {
            if (!_open.TryGetValue(header.ProducerId, out var batches))
            {
                batches = [];
                _open[header.ProducerId] = batches;
            }
            batches.Add(header.BaseOffset);
            return;
        }
        if (MarkerOf(batch, header) is { } marker && ControlRecord.IsEndTransactionMarker(marker) && _open.Remove(header.ProducerId, out var ended))
        {
            (marker == ControlRecordType.Abort ? _aborted : _committed).UnionWith(ended);
        }
    }

    /// <summary>The type of a control batch's marker (its one record's key); null when it does not parse.</summary>
    public static ControlRecordType? MarkerOf(ReadOnlySpan<byte> batch, RecordBatchHeader header)
    {
        var records = new RecordEnumerator(batch[RecordBatchHeader.Size..], header.RecordsCount);
        return records.MoveNext() && ControlRecord.TryReadKey(records.Current.Key, out _, out ControlRecordType marker) ? marker : null;
    }

    public bool IsAborted(long baseOffset) => _aborted.Contains(baseOffset);

    public bool IsCommitted(long baseOffset) => _committed.Contains(baseOffset);
}
