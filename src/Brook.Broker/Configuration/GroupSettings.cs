using System.Globalization;
using Brook.Broker.Groups;

namespace Brook.Broker.Configuration;

/// <summary>The group coordinator's <c>brook start</c> settings (Kafka's names and defaults), checked and turned into <see cref="GroupCoordinatorOptions"/>.</summary>
public sealed class GroupSettings
{
    public long InitialRebalanceDelayMs { get; set; } = 3000;

    public int MinSessionTimeoutMs { get; set; } = 6000;

    public int MaxSessionTimeoutMs { get; set; } = 1_800_000;

    public long OffsetsRetentionMinutes { get; set; } = 7 * 24 * 60;

    public int OffsetsTopicPartitions { get; set; } = 50;

    public int ConsumerSessionTimeoutMs { get; set; } = 45_000;

    public int ConsumerHeartbeatIntervalMs { get; set; } = 5_000;

    /// <summary>Comma-separated server-side assignor names; the first is the default.</summary>
    public string ConsumerAssignors { get; set; } = "uniform,range";

    public GroupCoordinatorOptions ToOptions()
    {
        Require(InitialRebalanceDelayMs >= 0, "group_initial_rebalance_delay_ms", InitialRebalanceDelayMs, "must not be negative");
        Require(MinSessionTimeoutMs > 0, "group_min_session_timeout_ms", MinSessionTimeoutMs, "must be positive");
        Require(MaxSessionTimeoutMs >= MinSessionTimeoutMs, "group_max_session_timeout_ms", MaxSessionTimeoutMs, "must be at least group_min_session_timeout_ms");
        Require(OffsetsRetentionMinutes > 0, "offsets_retention_minutes", OffsetsRetentionMinutes, "must be positive");
        Require(OffsetsTopicPartitions > 0, "offsets_topic_num_partitions", OffsetsTopicPartitions, "must be positive");
        Require(ConsumerSessionTimeoutMs > 0, "group_consumer_session_timeout_ms", ConsumerSessionTimeoutMs, "must be positive");
        Require(ConsumerHeartbeatIntervalMs > 0 && ConsumerHeartbeatIntervalMs < ConsumerSessionTimeoutMs, "group_consumer_heartbeat_interval_ms",
            ConsumerHeartbeatIntervalMs, "must be positive and below group_consumer_session_timeout_ms");
        return new GroupCoordinatorOptions
        {
            InitialRebalanceDelay = TimeSpan.FromMilliseconds(InitialRebalanceDelayMs),
            MinSessionTimeoutMs = MinSessionTimeoutMs,
            MaxSessionTimeoutMs = MaxSessionTimeoutMs,
            OffsetsRetention = TimeSpan.FromMinutes(OffsetsRetentionMinutes),
            OffsetsTopicPartitions = OffsetsTopicPartitions,
            ConsumerSessionTimeoutMs = ConsumerSessionTimeoutMs,
            ConsumerHeartbeatIntervalMs = ConsumerHeartbeatIntervalMs,
            ConsumerAssignors = ParseAssignors(ConsumerAssignors),
        };
    }

    /// <summary>Brook's names (<c>uniform</c>, <c>range</c>) or Kafka's class names (<c>...assignor.UniformAssignor</c>).</summary>
    private static List<string> ParseAssignors(string value)
    {
        var names = new List<string>();
        foreach (string part in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string simple = part[(part.LastIndexOf('.') + 1)..].ToLowerInvariant();
            string name = simple switch
            {
                "uniform" or "uniformassignor" => "uniform",
                "range" or "rangeassignor" => "range",
                _ => throw new BrookConfigurationException($"group_consumer_assignors: '{part}' is not uniform or range"),
            };
            if (!names.Contains(name))
            {
                names.Add(name);
            }
        }
        return names.Count > 0 ? names : throw new BrookConfigurationException("group_consumer_assignors: empty");
    }

    private static void Require(bool condition, string setting, long value, string rule)
    {
        if (!condition)
        {
            throw new BrookConfigurationException($"{setting}: {value.ToString(CultureInfo.InvariantCulture)} {rule}");
        }
    }
}
