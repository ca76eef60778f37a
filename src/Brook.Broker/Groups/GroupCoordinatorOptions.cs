namespace Brook.Broker.Groups;

/// <summary>The group coordinator's settings, with Kafka's names and defaults.</summary>
public sealed class GroupCoordinatorOptions
{
    /// <summary><c>offsets.topic.num.partitions</c>: partitions of <c>__consumer_offsets</c> when it is created.</summary>
    public int OffsetsTopicPartitions { get; set; } = 50;

    /// <summary><c>group.initial.rebalance.delay.ms</c>: how long the first rebalance of an empty group waits for more members.</summary>
    public TimeSpan InitialRebalanceDelay { get; set; } = TimeSpan.FromMilliseconds(3000);

    /// <summary><c>group.min.session.timeout.ms</c>.</summary>
    public int MinSessionTimeoutMs { get; set; } = 6000;

    /// <summary><c>group.max.session.timeout.ms</c>.</summary>
    public int MaxSessionTimeoutMs { get; set; } = 1_800_000;

    /// <summary><c>offsets.retention.minutes</c>: how long an empty group's offsets are kept.</summary>
    public TimeSpan OffsetsRetention { get; set; } = TimeSpan.FromMinutes(7 * 24 * 60);

    /// <summary><c>offsets.retention.check.interval.ms</c>.</summary>
    public TimeSpan OffsetsRetentionCheckInterval { get; set; } = TimeSpan.FromMilliseconds(600_000);

    /// <summary><c>offset.metadata.max.bytes</c>: the longest metadata string a commit may carry.</summary>
    public int OffsetMetadataMaxBytes { get; set; } = 4096;

    /// <summary><c>group.max.size</c>.</summary>
    public int MaxGroupSize { get; set; } = int.MaxValue;

    /// <summary>How often the lag gauges are recomputed (producers move log ends without any commit).</summary>
    public TimeSpan LagRefreshInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary><c>group.consumer.session.timeout.ms</c>: how long a KIP-848 member lives without a heartbeat.</summary>
    public int ConsumerSessionTimeoutMs { get; set; } = 45_000;

    /// <summary><c>group.consumer.heartbeat.interval.ms</c>: the heartbeat interval KIP-848 members are told.</summary>
    public int ConsumerHeartbeatIntervalMs { get; set; } = 5_000;

    /// <summary><c>group.consumer.assignors</c>: the server-side assignors members may name; the first is the default.</summary>
    public IReadOnlyList<string> ConsumerAssignors { get; set; } = ["uniform", "range"];
}
