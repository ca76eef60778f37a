using System.Buffers.Binary;
using Brook.Protocol.Records;

using RecordEnumerator = Brook.Storage.Batches.RecordEnumerator;

namespace Brook.Storage.Compaction;

/// <summary>
/// Which transactional batches of the cleanable range were committed or aborted, found by
/// pairing each producer's data batches with the next control marker (ABORT = 0, COMMIT = 1 in
/// the control record's key). Transactions whose marker lies beyond the range stay undecided and
/// their batches are kept whole.
/// </summary>
internal sealed class TransactionOutcomes
{
    private const short AbortMarker = 0;
    private const short CommitMarker = 1;

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
        short marker = -1;
        foreach (var record in new RecordEnumerator(batch))
        {
            if (record.Key.Length >= 4)
            {
                marker = BinaryPrimitives.ReadInt16BigEndian(record.Key[2..]);
            }
            break;
        }
        if ((marker == AbortMarker || marker == CommitMarker) && _open.Remove(header.ProducerId, out var ended))
        {
            (marker == AbortMarker ? _aborted : _committed).UnionWith(ended);
        }
    }

    public bool IsAborted(long baseOffset) => _aborted.Contains(baseOffset);

    public bool IsCommitted(long baseOffset) => _committed.Contains(baseOffset);
}
