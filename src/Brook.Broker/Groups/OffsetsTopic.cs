using Brook.Broker.Cluster;

namespace Brook.Broker.Groups;

/// <summary>The internal compacted topic that holds committed offsets and group metadata.</summary>
public static class OffsetsTopic
{
    public const string Name = TopicNames.ConsumerOffsets;

    /// <summary>The partition that owns a group: Kafka's <c>Utils.abs(groupId.hashCode) % partitions</c>, with Java's String.hashCode.</summary>
    public static int PartitionFor(string groupId, int partitionCount)
    {
        ArgumentNullException.ThrowIfNull(groupId);
        return (JavaHashCode(groupId) & 0x7fffffff) % partitionCount;
    }

    /// <summary>Java's String.hashCode: s[0]*31^(n-1) + ... + s[n-1] over UTF-16 code units, wrapping.</summary>
    public static int JavaHashCode(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        int hash = 0;
        foreach (char c in value)
        {
            hash = unchecked((31 * hash) + c);
        }
        return hash;
    }
}
