namespace Brook.Client.Groups;

/// <summary>Settings of a classic-protocol group member; Kafka's names in the comments.</summary>
public sealed class ClassicGroupOptions
{
    /// <summary><c>group.id</c>.</summary>
    public required string GroupId { get; init; }

    /// <summary>The topics to subscribe to.</summary>
    public required IReadOnlyList<string> Topics { get; init; }

    /// <summary><c>group.instance.id</c>: a static member when set.</summary>
    public string? GroupInstanceId { get; init; }

    /// <summary><c>session.timeout.ms</c>, default 45 s.</summary>
    public TimeSpan SessionTimeout { get; init; } = TimeSpan.FromSeconds(45);

    /// <summary><c>max.poll.interval.ms</c> (the rebalance timeout), default 5 min.</summary>
    public TimeSpan RebalanceTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary><c>heartbeat.interval.ms</c>, default 3 s.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary><c>partition.assignment.strategy</c>, in preference order; default range, then roundrobin.</summary>
    public IReadOnlyList<IPartitionAssignor> Assignors { get; init; } = [new RangeAssignor(), new RoundRobinAssignor()];
}
