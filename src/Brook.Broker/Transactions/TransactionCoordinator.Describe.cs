namespace Brook.Broker.Transactions;

/// <summary>DescribeTransactions and ListTransactions.</summary>
public sealed partial class TransactionCoordinator
{
    /// <summary>The id's state, or null when this coordinator does not know it.</summary>
    public TransactionDescription? Describe(string transactionalId)
    {
        lock (_lock)
        {
            return _transactions.TryGetValue(transactionalId ?? "", out TransactionMetadata? txn) && txn.IsStored ? Describe(txn) : null;
        }
    }

    /// <summary>
    /// Every known id matching all filters: states (empty: any), producer ids (empty: any) and,
    /// when <paramref name="minDurationMs"/> ≥ 0, a transaction running at least that long.
    /// </summary>
    public List<TransactionDescription> List(IReadOnlySet<TransactionState> states, IReadOnlySet<long> producerIds, long minDurationMs)
    {
        ArgumentNullException.ThrowIfNull(states);
        ArgumentNullException.ThrowIfNull(producerIds);
        long now = NowMs;
        var list = new List<TransactionDescription>();
        lock (_lock)
        {
            foreach (TransactionMetadata txn in _transactions.Values)
            {
                if (!txn.IsStored
                    || (states.Count > 0 && !states.Contains(txn.State))
                    || (producerIds.Count > 0 && !producerIds.Contains(txn.ProducerId))
                    || (minDurationMs >= 0 && (txn.StartTimestamp < 0 || now - txn.StartTimestamp < minDurationMs)))
                {
                    continue;
                }
                list.Add(Describe(txn));
            }
        }
        list.Sort((a, b) => string.CompareOrdinal(a.TransactionalId, b.TransactionalId));
        return list;
    }

    private static TransactionDescription Describe(TransactionMetadata txn)
    {
        var partitions = new List<(string Topic, int Partition)>(txn.Partitions);
        partitions.Sort((a, b) => a.Topic != b.Topic ? string.CompareOrdinal(a.Topic, b.Topic) : a.Partition.CompareTo(b.Partition));
        return new TransactionDescription(txn.TransactionalId, txn.State, txn.ProducerId, txn.ProducerEpoch, txn.TimeoutMs, txn.StartTimestamp, partitions);
    }
}
