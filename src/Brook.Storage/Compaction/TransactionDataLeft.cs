namespace Brook.Storage.Compaction;

/// <summary>
/// Over one compaction pass, whose segments are rewritten in offset order from the log's start:
/// for each producer, whether data of its current transaction was met in this pass and whether
/// any of it is left after the rewrite. An end marker whose transaction has nothing left serves no
/// reader once <c>delete.retention.ms</c> has passed over its segment, and goes then, as Kafka's
/// cleaner drops it; otherwise a compacted topic written by transactional producers (Kafka
/// Streams' exactly-once changelogs) keeps one marker per transaction forever. A COMMIT goes in the
/// same rewrite as its last data. An ABORT goes only in a pass after its data went, and its entry
/// in the aborted-transactions index first (<see cref="PartitionLog"/>'s rewrite): a read_committed
/// consumer told of an aborted transaction skips that producer's batches until it reads the marker.
/// </summary>
internal sealed class TransactionDataLeft
{
    private readonly Dictionary<long, bool> _anyLeft = [];

    /// <summary>A data batch of <paramref name="producerId"/>'s transaction was rewritten; <paramref name="left"/>: some of it stays.</summary>
    public void Data(long producerId, bool left) => _anyLeft[producerId] = left || _anyLeft.GetValueOrDefault(producerId);

    /// <summary>At the producer's end marker: whether data of the transaction was met in this pass, and whether any is left. The next transaction starts afresh.</summary>
    public (bool Met, bool Left) End(long producerId)
    {
        bool met = _anyLeft.Remove(producerId, out bool left);
        return (met, met && left);
    }
}
