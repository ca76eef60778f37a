using Brook.Client.Connections;
using Brook.Protocol.Errors;
using Brook.Protocol.Primitives;

namespace Brook.Client.Admin;

/// <summary>A topic to create. -1 partitions or replication factor: the broker's default.</summary>
public sealed record NewTopic(string Name, int Partitions = -1, short ReplicationFactor = -1)
{
    public IReadOnlyDictionary<string, string?> Configs { get; init; } = new Dictionary<string, string?>();
}

/// <summary>The outcome for one topic of a create or delete; <see cref="Error"/> is None on success.</summary>
public sealed record TopicResult(string Name, ErrorCode Error, string? ErrorMessage)
{
    public bool Succeeded => Error == ErrorCode.None;
}

/// <summary>What CreateTopics answered for one topic.</summary>
public sealed record CreatedTopic(string Name, Uuid TopicId, int Partitions, short ReplicationFactor, ErrorCode Error, string? ErrorMessage,
    IReadOnlyDictionary<string, string?> Configs);

/// <summary>A topic as metadata shows it.</summary>
public sealed record TopicDescription(string Name, Uuid TopicId, bool IsInternal, IReadOnlyList<PartitionMetadata> Partitions)
{
    public int ReplicationFactor => Partitions.Count == 0 ? 0 : Partitions[0].Replicas.Count;
}

/// <summary>The cluster: its id, controller and brokers.</summary>
public sealed record ClusterDescription(string? ClusterId, int ControllerId, IReadOnlyList<BrokerNode> Brokers);

/// <summary>Which offset ListOffsets should find.</summary>
public readonly record struct OffsetSpec(long Timestamp)
{
    public static OffsetSpec Earliest => new(-2);
    public static OffsetSpec Latest => new(-1);
    /// <summary>The offset of the record with the largest timestamp (ListOffsets v7+).</summary>
    public static OffsetSpec MaxTimestamp => new(-3);
    /// <summary>The first offset whose timestamp is at or after <paramref name="timestampMs"/>.</summary>
    public static OffsetSpec ForTimestamp(long timestampMs) => new(timestampMs);
}

/// <summary>A ListOffsets answer: the offset (-1 when none matches) and the timestamp of that record (-1 when not applicable).</summary>
public readonly record struct ListedOffset(long Offset, long Timestamp, int LeaderEpoch);

/// <summary>A config resource: a topic (2) or a broker (4).</summary>
public readonly record struct ConfigResource(ConfigResourceType Type, string Name);

public enum ConfigResourceType : sbyte
{
    Topic = 2,
    Broker = 4,
}

/// <summary>One config entry as DescribeConfigs returns it.</summary>
public sealed record ConfigEntry(string Name, string? Value, bool IsDefault, bool IsReadOnly, bool IsSensitive);

/// <summary>One change for IncrementalAlterConfigs.</summary>
public sealed record ConfigChange(string Name, string? Value, ConfigOperation Operation = ConfigOperation.Set);

public enum ConfigOperation : sbyte
{
    Set = 0,
    Delete = 1,
    Append = 2,
    Subtract = 3,
}
