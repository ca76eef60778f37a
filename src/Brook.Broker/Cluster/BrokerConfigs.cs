using System.Globalization;
using Brook.Broker.Network;

namespace Brook.Broker.Cluster;

/// <summary>
/// The broker's configs under Kafka's names, as DescribeConfigs reports them for a broker: each
/// with its value on this broker and Kafka's default, so a tool that lists a broker's configs sees
/// what it would see on Kafka. Brook changes none of them at run time (no dynamic broker configs),
/// so all are read-only. The topic configs' broker-wide defaults appear under their broker names
/// (<see cref="TopicSynonyms"/>).
/// </summary>
public static class BrokerConfigs
{
    /// <summary>One config: its value here and Kafka's default (null where Kafka has none, such as <c>node.id</c>).</summary>
    public readonly record struct Entry(string Name, string Value, string? Default, ConfigType Type)
    {
        /// <summary>Set at start-up (differs from the default, or has none) or left at the default.</summary>
        public bool IsDefault => Default is not null && Default == Value;
    }

    /// <summary>Kafka's ConfigType of DescribeConfigs v3+.</summary>
    public enum ConfigType : sbyte
    {
        Boolean = 1,
        String = 2,
        Int = 3,
        Long = 5,
        Double = 6,
        List = 7,
    }

    /// <summary>
    /// Each topic config's broker-wide counterpart, which supplies the topic's value when the topic
    /// does not override it (Kafka's LogConfig synonyms), with its type.
    /// </summary>
    public static IReadOnlyDictionary<string, (string BrokerName, ConfigType Type)> TopicSynonyms { get; } =
        new Dictionary<string, (string, ConfigType)>(StringComparer.Ordinal)
        {
            ["cleanup.policy"] = ("log.cleanup.policy", ConfigType.List),
            ["compression.type"] = ("compression.type", ConfigType.String),
            ["delete.retention.ms"] = ("log.cleaner.delete.retention.ms", ConfigType.Long),
            ["flush.messages"] = ("log.flush.interval.messages", ConfigType.Long),
            ["flush.ms"] = ("log.flush.interval.ms", ConfigType.Long),
            ["index.interval.bytes"] = ("log.index.interval.bytes", ConfigType.Int),
            [TopicConfigs.MaxMessageBytes] = ("message.max.bytes", ConfigType.Int),
            [TopicProduceRules.TimestampAfterMaxMsName] = ("log.message.timestamp.after.max.ms", ConfigType.Long),
            [TopicProduceRules.TimestampBeforeMaxMsName] = ("log.message.timestamp.before.max.ms", ConfigType.Long),
            [TopicProduceRules.TimestampDifferenceMaxMsName] = ("log.message.timestamp.difference.max.ms", ConfigType.Long),
            ["message.timestamp.type"] = ("log.message.timestamp.type", ConfigType.String),
            ["min.cleanable.dirty.ratio"] = ("log.cleaner.min.cleanable.ratio", ConfigType.Double),
            ["min.compaction.lag.ms"] = ("log.cleaner.min.compaction.lag.ms", ConfigType.Long),
            ["min.insync.replicas"] = ("min.insync.replicas", ConfigType.Int),
            ["retention.bytes"] = ("log.retention.bytes", ConfigType.Long),
            ["retention.ms"] = ("log.retention.ms", ConfigType.Long),
            ["segment.bytes"] = ("log.segment.bytes", ConfigType.Int),
            ["segment.index.bytes"] = ("log.index.size.max.bytes", ConfigType.Int),
            ["segment.ms"] = ("log.roll.ms", ConfigType.Long),
        };

    /// <summary>Every config of a broker with these settings, ordered by name.</summary>
    public static IReadOnlyList<Entry> Describe(int nodeId, string dataDirectory, KafkaBrokerOptions options, KafkaNetworkOptions network)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(network);
        Groups.GroupCoordinatorOptions groups = options.Groups;
        Transactions.TransactionCoordinatorOptions transactions = options.Transactions;
        var entries = new List<Entry>
        {
            new("node.id", Text(nodeId), null, ConfigType.Int),
            new("log.dirs", dataDirectory, null, ConfigType.String),
            new("auto.create.topics.enable", options.AutoCreateTopics ? "true" : "false", "true", ConfigType.Boolean),
            new("num.partitions", Text(options.DefaultPartitions), "1", ConfigType.Int),
            // One node: every partition has one replica.
            new("default.replication.factor", "1", "1", ConfigType.Int),
            new("fetch.max.bytes", Text(options.FetchMaxBytes), Text(KafkaBrokerOptions.DefaultFetchMaxBytes), ConfigType.Int),
            new("socket.request.max.bytes", Text(network.SocketRequestMaxBytes), "104857600", ConfigType.Int),
            new("connections.max.idle.ms", Text((long)network.ConnectionsMaxIdle.TotalMilliseconds), "600000", ConfigType.Long),
            new("offsets.topic.num.partitions", Text(groups.OffsetsTopicPartitions), "50", ConfigType.Int),
            new("offsets.retention.minutes", Text((long)groups.OffsetsRetention.TotalMinutes), "10080", ConfigType.Int),
            new("offsets.retention.check.interval.ms", Text((long)groups.OffsetsRetentionCheckInterval.TotalMilliseconds), "600000", ConfigType.Long),
            new("offset.metadata.max.bytes", Text(groups.OffsetMetadataMaxBytes), "4096", ConfigType.Int),
            new("group.initial.rebalance.delay.ms", Text((long)groups.InitialRebalanceDelay.TotalMilliseconds), "3000", ConfigType.Int),
            new("group.min.session.timeout.ms", Text(groups.MinSessionTimeoutMs), "6000", ConfigType.Int),
            new("group.max.session.timeout.ms", Text(groups.MaxSessionTimeoutMs), "1800000", ConfigType.Int),
            new("group.max.size", Text(groups.MaxGroupSize), "2147483647", ConfigType.Int),
            new("group.consumer.session.timeout.ms", Text(groups.ConsumerSessionTimeoutMs), "45000", ConfigType.Int),
            new("group.consumer.heartbeat.interval.ms", Text(groups.ConsumerHeartbeatIntervalMs), "5000", ConfigType.Int),
            // Brook's own assignor names; its default list is Kafka's (uniform, then range).
            new("group.consumer.assignors", string.Join(',', groups.ConsumerAssignors), "uniform,range", ConfigType.List),
            new("transaction.state.log.num.partitions", Text(transactions.StateLogPartitions), "50", ConfigType.Int),
            new("transaction.max.timeout.ms", Text(transactions.MaxTimeoutMs), "900000", ConfigType.Int),
            new("transactional.id.expiration.ms", Text((long)transactions.IdExpiration.TotalMilliseconds), "604800000", ConfigType.Int),
            new("transaction.abort.timed.out.transaction.cleanup.interval.ms", Text((long)transactions.AbortTimedOutInterval.TotalMilliseconds), "10000", ConfigType.Int),
            new("transaction.remove.expired.transaction.cleanup.interval.ms", Text((long)transactions.RemoveExpiredInterval.TotalMilliseconds), "3600000", ConfigType.Int),
        };
        foreach ((string topicName, (string brokerName, ConfigType type)) in TopicSynonyms)
        {
            // Brook has no broker-wide log.* settings: a topic's default is Kafka's default.
            string value = TopicConfigs.Defaults[topicName];
            entries.Add(new Entry(brokerName, value, value, type));
        }
        entries.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return entries;
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
