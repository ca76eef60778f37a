namespace Brook.Broker.Transactions;

/// <summary>
/// Told when a transaction marker is committed on a partition of <c>__consumer_offsets</c>, so
/// the group coordinator can make a transaction's pending offset commits visible (COMMIT) or drop
/// them (ABORT). Set on <see cref="Cluster.KafkaBroker.TransactionMarkerListener"/>.
/// </summary>
public interface ITransactionMarkerListener
{
    void OnMarkerCommitted(string topic, int partition, long producerId, bool commit);
}
