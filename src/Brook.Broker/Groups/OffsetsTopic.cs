using Brook.Broker.Cluster;

namespace Brook.Broker.Groups;

/// <summary>The internal compacted topic that holds committed offsets and group metadata.</summary>
public static class OffsetsTopic
{
    public const string Name = TopicNames.ConsumerOffsets;

    /// <summary>
    /// The partition that owns a group: Java's String.hashCode with its sign bit cleared, modulo
    /// the partition count. Kafka takes <c>Utils.abs</c> of the hash instead, which picks another
    /// partition for negative hashes; kept as it is, because changing it would move the groups
    /// already stored to other partitions.
    /// </summary>
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
