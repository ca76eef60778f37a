namespace Brook.Broker.Transactions;

/// <summary>
/// What one <c>__transaction_state</c> record says about a transactional id (Kafka's
/// TransactionLogValue fields). <see cref="LastProducerEpoch"/> is kept in memory only (-1 when
/// read back), as in Kafka's v0 records.
/// </summary>
public sealed record TransactionLogEntry(
    long ProducerId,
    short ProducerEpoch,
    int TimeoutMs,
    TransactionState State,
    IReadOnlyList<(string Topic, int Partition)> Partitions,
    long LastUpdateTimestamp,
    long StartTimestamp,
    short LastProducerEpoch = -1);
