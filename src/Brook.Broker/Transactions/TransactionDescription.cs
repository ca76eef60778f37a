namespace Brook.Broker.Transactions;

/// <summary>One transactional id as DescribeTransactions and ListTransactions report it.</summary>
public sealed record TransactionDescription(string TransactionalId, TransactionState State, long ProducerId, short ProducerEpoch,
    int TimeoutMs, long StartTimestamp, IReadOnlyList<(string Topic, int Partition)> Partitions);
