namespace Brook.Broker.Handlers;

/// <summary>Kafka's config resource types (DescribeConfigs, AlterConfigs, IncrementalAlterConfigs).</summary>
public static class ConfigResources
{
    public const sbyte Topic = 2;
    public const sbyte Broker = 4;
}
