using Brook.Broker.Configuration;
using Brook.Broker.Groups;

namespace Brook.Broker.Tests.Configuration;

public sealed class GroupSettingsTests
{
    [Fact]
    public void Group_settings_default_to_Kafkas_values()
    {
        GroupCoordinatorOptions groups = BrookSettingsLoader.Load([], new Dictionary<string, string>()).ToServerOptions().Broker.Groups;
        Assert.Equal(TimeSpan.FromSeconds(3), groups.InitialRebalanceDelay);
        Assert.Equal((6000, 1_800_000), (groups.MinSessionTimeoutMs, groups.MaxSessionTimeoutMs));
        Assert.Equal(TimeSpan.FromDays(7), groups.OffsetsRetention);
        Assert.Equal(50, groups.OffsetsTopicPartitions);
        Assert.Equal((45_000, 5_000), (groups.ConsumerSessionTimeoutMs, groups.ConsumerHeartbeatIntervalMs));
        Assert.Equal(["uniform", "range"], groups.ConsumerAssignors);
    }

    [Fact]
    public void Group_settings_come_from_flags_and_environment_under_Kafkas_names()
    {
        var environment = new Dictionary<string, string>
        {
            ["BROOK_GROUP_INITIAL_REBALANCE_DELAY_MS"] = "0",
            ["BROOK_OFFSETS_TOPIC_NUM_PARTITIONS"] = "7",
        };
        string[] flags =
        [
            "--group.min.session.timeout.ms", "1000", "--group-max-session-timeout-ms=20000", "--offsets.retention.minutes", "60",
            "--group.consumer.session.timeout.ms", "9000", "--group.consumer.heartbeat.interval.ms", "900",
            "--group.consumer.assignors", "org.apache.kafka.coordinator.group.assignor.RangeAssignor,uniform",
        ];
        GroupCoordinatorOptions groups = BrookSettingsLoader.Load(flags, environment).ToServerOptions().Broker.Groups;
        Assert.Equal(TimeSpan.Zero, groups.InitialRebalanceDelay);
        Assert.Equal(7, groups.OffsetsTopicPartitions);
        Assert.Equal((1000, 20_000), (groups.MinSessionTimeoutMs, groups.MaxSessionTimeoutMs));
        Assert.Equal(TimeSpan.FromHours(1), groups.OffsetsRetention);
        Assert.Equal((9000, 900), (groups.ConsumerSessionTimeoutMs, groups.ConsumerHeartbeatIntervalMs));
        Assert.Equal(["range", "uniform"], groups.ConsumerAssignors);
    }

    [Theory]
    [InlineData("--group.consumer.assignors", "sticky", "group_consumer_assignors")]
    [InlineData("--group.consumer.heartbeat.interval.ms", "60000", "group_consumer_heartbeat_interval_ms")]
    [InlineData("--group.max.session.timeout.ms", "10", "group_max_session_timeout_ms")]
    [InlineData("--offsets.topic.num.partitions", "0", "offsets_topic_num_partitions")]
    public void Bad_group_settings_are_refused_by_name(string flag, string value, string named)
    {
        var failure = Assert.Throws<BrookConfigurationException>(() => BrookSettingsLoader.Load([flag, value], new Dictionary<string, string>()).ToServerOptions());
        Assert.Contains(named, failure.Message, StringComparison.Ordinal);
    }
}
