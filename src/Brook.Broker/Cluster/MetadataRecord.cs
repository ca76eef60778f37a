using System.Text.Json.Serialization;

namespace Brook.Broker.Cluster;

/// <summary>
/// One change to the cluster's metadata, as stored in the metadata log: the record key is
/// <see cref="Type"/> (UTF-8), the value this object as JSON. Replaying the records in order
/// rebuilds the topics, their ids, partition counts and configs, the cluster id and the producer
/// id high-water mark.
/// </summary>
public sealed record MetadataRecord
{
    public const string ClusterType = "cluster";
    public const string TopicType = "topic";
    public const string PartitionsType = "partitions";
    public const string ConfigType = "config";
    public const string DeleteTopicType = "delete-topic";
    public const string ProducerIdsType = "producer-ids";

    [JsonPropertyName("type")]
    public string Type { get; init; } = "";

    [JsonPropertyName("cluster_id")]
    public string? ClusterId { get; init; }

    [JsonPropertyName("topic")]
    public string? Topic { get; init; }

    [JsonPropertyName("topic_id")]
    public string? TopicId { get; init; }

    [JsonPropertyName("partitions")]
    public int Partitions { get; init; }

    /// <summary>For <see cref="TopicType"/> and <see cref="ConfigType"/>: the topic's whole set of overrides.</summary>
    [JsonPropertyName("configs")]
    public Dictionary<string, string>? Configs { get; init; }

    /// <summary>For <see cref="ProducerIdsType"/>: producer ids below this are handed out (or reserved).</summary>
    [JsonPropertyName("next_producer_id")]
    public long NextProducerId { get; init; }
}
