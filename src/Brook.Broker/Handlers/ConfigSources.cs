namespace Brook.Broker.Handlers;

/// <summary>Kafka's DescribeConfigs config sources, as CreateTopics and DescribeConfigs report them.</summary>
public static class ConfigSources
{
    /// <summary>DYNAMIC_TOPIC_CONFIG: set on the topic.</summary>
    public const sbyte TopicOverride = 1;

    /// <summary>STATIC_BROKER_CONFIG: from the broker's start-up settings.</summary>
    public const sbyte StaticBroker = 4;

    /// <summary>DEFAULT_CONFIG: nobody set it.</summary>
    public const sbyte Default = 5;
}
