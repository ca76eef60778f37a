namespace Brook.Broker.Handlers;

/// <summary>Kafka's config resource types (DescribeConfigs, AlterConfigs, IncrementalAlterConfigs).</summary>
public static class ConfigResources
{
    public const sbyte Topic = 2;
    public const sbyte Broker = 4;

    /// <summary>Why a broker (or other non-topic) resource cannot be altered, with what to do instead.</summary>
    public const string OnlyTopicsAlterable =
        "Only topic configs can be altered; a broker's configs are read-only while it runs: set them at start-up (brook.yaml, BROOK_* environment variables or flags, e.g. num_partitions / BROOK_NUM_PARTITIONS / --num-partitions)";
}
