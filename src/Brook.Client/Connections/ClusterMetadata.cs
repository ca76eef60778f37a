using Brook.Protocol.Errors;
using Brook.Protocol.Primitives;

namespace Brook.Client.Connections;

/// <summary>A broker as metadata describes it.</summary>
public sealed record BrokerNode(int NodeId, string Host, int Port, string? Rack)
{
    public override string ToString() => $"{NodeId}@{Host}:{Port}";
}

/// <summary>One partition: its leader (-1 when none), leader epoch, replicas and in-sync replicas.</summary>
public sealed record PartitionMetadata(int Partition, int Leader, int LeaderEpoch, IReadOnlyList<int> Replicas,
    IReadOnlyList<int> InSyncReplicas, ErrorCode Error);

/// <summary>One topic and its partitions, in partition order.</summary>
public sealed record TopicMetadata(string Name, Uuid TopicId, bool IsInternal, ErrorCode Error, IReadOnlyList<PartitionMetadata> Partitions)
{
    public int PartitionCount => Partitions.Count;

    /// <summary>The partition's metadata, or null when the topic has no such partition.</summary>
    public PartitionMetadata? Find(int partition) =>
        (uint)partition < (uint)Partitions.Count && Partitions[partition].Partition == partition
            ? Partitions[partition]
            : Partitions.FirstOrDefault(p => p.Partition == partition);
}

/// <summary>An immutable snapshot of what the cluster said about itself.</summary>
public sealed record ClusterMetadata(string? ClusterId, int ControllerId, IReadOnlyDictionary<int, BrokerNode> Brokers,
    IReadOnlyDictionary<string, TopicMetadata> Topics, DateTimeOffset FetchedAt)
{
    public static ClusterMetadata Empty { get; } = new(null, -1, new Dictionary<int, BrokerNode>(),
        new Dictionary<string, TopicMetadata>(StringComparer.Ordinal), DateTimeOffset.MinValue);
}
