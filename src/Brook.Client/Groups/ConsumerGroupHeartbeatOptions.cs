namespace Brook.Client.Groups;

/// <summary>How a KIP-848 member joins its group (what Kafka's consumer configures with <c>group.protocol=consumer</c>).</summary>
public sealed class ConsumerGroupHeartbeatOptions
{
    public required string GroupId { get; init; }

    /// <summary>The topics to subscribe to, by name.</summary>
    public required IReadOnlyList<string> Topics { get; init; }

    /// <summary><c>group.instance.id</c>: a static member keeps its partitions across a restart within the session timeout.</summary>
    public string? GroupInstanceId { get; init; }

    /// <summary><c>group.remote.assignor</c>: the server-side assignor to ask for (null: the broker's default).</summary>
    public string? ServerAssignor { get; init; }

    /// <summary><c>max.poll.interval.ms</c>: how long the coordinator waits for this member to revoke partitions.</summary>
    public TimeSpan RebalanceTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Called with partitions the member must give up, before it tells the coordinator they are gone (commit here).</summary>
    public Func<IReadOnlyCollection<TopicPartition>, CancellationToken, ValueTask>? PartitionsRevoked { get; init; }

    /// <summary>Called with partitions newly assigned.</summary>
    public Func<IReadOnlyCollection<TopicPartition>, CancellationToken, ValueTask>? PartitionsAssigned { get; init; }
}
