using Brook.Broker.Cluster;
using Brook.Broker.Groups;

namespace Brook.Broker.Transactions;

/// <summary>The internal compacted topic holding the transaction coordinator's state.</summary>
public static class TransactionStateTopic
{
    public const string Name = TopicNames.TransactionState;

    /// <summary>
    /// The partition that owns a transactional id: Kafka's <c>Utils.abs(id.hashCode) % partitions</c>,
    /// where <c>Utils.abs</c> is the absolute value with <c>Integer.MIN_VALUE</c> mapped to 0.
    /// </summary>
    public static int PartitionFor(string transactionalId, int partitionCount)
    {
        int hash = OffsetsTopic.JavaHashCode(transactionalId);
        return (hash == int.MinValue ? 0 : Math.Abs(hash)) % partitionCount;
    }
}
