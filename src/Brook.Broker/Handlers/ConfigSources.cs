namespace Brook.Broker.Handlers;

/// <summary>Kafka's DescribeConfigs config sources, as CreateTopics and DescribeConfigs report them.</summary>
public static class ConfigSources
{
    /// <summary>DYNAMIC_TOPIC_CONFIG: set on the topic.</summary>
    public const sbyte TopicOverride = 1;

    /// <summary>DEFAULT_CONFIG: nobody set it.</summary>
    public const sbyte Default = 5;
}
