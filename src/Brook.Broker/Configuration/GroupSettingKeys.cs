namespace Brook.Broker.Configuration;

/// <summary>The group coordinator's settings keys (Kafka's dotted names work too: <c>group.initial.rebalance.delay.ms</c>).</summary>
internal static class GroupSettingKeys
{
    public static IReadOnlyList<SettingKeys.Key> All { get; } =
    [
        new("group_initial_rebalance_delay_ms", "how long an empty classic group's first rebalance waits for more members (default 3000)",
            (s, v) => s.Groups.InitialRebalanceDelayMs = SettingKeys.ParseLong(v, "group_initial_rebalance_delay_ms")),
        new("group_min_session_timeout_ms", "smallest session timeout a classic member may ask for (default 6000)",
            (s, v) => s.Groups.MinSessionTimeoutMs = SettingKeys.ParseInt(v, "group_min_session_timeout_ms")),
        new("group_max_session_timeout_ms", "largest session timeout a classic member may ask for (default 1800000)",
            (s, v) => s.Groups.MaxSessionTimeoutMs = SettingKeys.ParseInt(v, "group_max_session_timeout_ms")),
        new("offsets_retention_minutes", "how long an empty group's committed offsets are kept (default 10080)",
            (s, v) => s.Groups.OffsetsRetentionMinutes = SettingKeys.ParseLong(v, "offsets_retention_minutes")),
        new("offsets_topic_num_partitions", "partitions of __consumer_offsets when it is created (default 50)",
            (s, v) => s.Groups.OffsetsTopicPartitions = SettingKeys.ParseInt(v, "offsets_topic_num_partitions")),
        new("group_consumer_session_timeout_ms", "session timeout of consumer-protocol (KIP-848) members (default 45000)",
            (s, v) => s.Groups.ConsumerSessionTimeoutMs = SettingKeys.ParseInt(v, "group_consumer_session_timeout_ms")),
        new("group_consumer_heartbeat_interval_ms", "heartbeat interval told to consumer-protocol members (default 5000)",
            (s, v) => s.Groups.ConsumerHeartbeatIntervalMs = SettingKeys.ParseInt(v, "group_consumer_heartbeat_interval_ms")),
        new("group_consumer_assignors", "server-side assignors, comma-separated, first is the default (default uniform,range)",
            (s, v) => s.Groups.ConsumerAssignors = v),
    ];
}
