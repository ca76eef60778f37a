namespace Brook.Storage.Compaction;

/// <summary>
/// Over one compaction pass, whose segments are rewritten in offset order from the log's start:
/// for each producer, whether any data of its current transaction is left after the rewrite. A
/// COMMIT marker whose transaction has nothing left serves no reader, and once
/// <c>delete.retention.ms</c> has passed over its segment it is dropped, as Kafka's cleaner drops
/// it; otherwise a compacted topic written by transactional producers (Kafka Streams'
/// exactly-once changelogs) keeps one marker per transaction forever. ABORT markers stay: the
/// segment's aborted-transactions index names them, and a read_committed consumer told of an
/// aborted transaction skips that producer's batches until it reads the marker.
/// </summary>
internal sealed class CommittedDataLeft
{
    private readonly Dictionary<long, bool> _anyLeft = [];

    /// <summary>A data batch of <paramref name="producerId"/>'s transaction was rewritten; <paramref name="left"/>: some of it stays.</summary>
    public void Data(long producerId, bool left) => _anyLeft[producerId] = left || _anyLeft.GetValueOrDefault(producerId);

    /// <summary>At the producer's end marker: true when nothing of the transaction it ends is left. The next transaction starts empty.</summary>
    public bool EndsEmptyTransaction(long producerId)
    {
        bool left = _anyLeft.GetValueOrDefault(producerId);
        _anyLeft.Remove(producerId);
        return !left;
    }
}
