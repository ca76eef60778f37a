using Brook.Broker.Cluster;
using Brook.Broker.Groups;

namespace Brook.Broker.Transactions;

/// <summary>The internal compacted topic holding the transaction coordinator's state.</summary>
public static class TransactionStateTopic
{
    public const string Name = TopicNames.TransactionState;

    /// <summary>The partition that owns a transactional id: Kafka's <c>Utils.abs(id.hashCode) % partitions</c>.</summary>
    public static int PartitionFor(string transactionalId, int partitionCount) => OffsetsTopic.PartitionFor(transactionalId, partitionCount);
}
