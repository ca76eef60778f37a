namespace Brook.Broker.Cluster;

/// <summary>
/// The fewest metadata records that rebuild a broker's current state: its cluster id, its
/// producer-id reservation and one creation record per live topic (id, partition count, config
/// overrides). Deleted topics, earlier configs and every other step of the history are left out,
/// so the metadata log, which otherwise grows by a record per change, is replayed in time
/// proportional to what exists rather than to everything that happened.
/// </summary>
internal static class MetadataSnapshot
{
    public static IReadOnlyList<MetadataRecord> Of(string clusterId, long reservedProducerIds, IEnumerable<TopicState> topics)
    {
        var records = new List<MetadataRecord>
        {
            new() { Type = MetadataRecord.ClusterType, ClusterId = clusterId },
            new() { Type = MetadataRecord.ProducerIdsType, NextProducerId = reservedProducerIds },
        };
        foreach (TopicState topic in topics.OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            records.Add(new MetadataRecord
            {
                Type = MetadataRecord.TopicType,
                Topic = topic.Name,
                TopicId = topic.Id.ToString(),
                Partitions = topic.Partitions.Count,
                Configs = new Dictionary<string, string>(topic.Configs, StringComparer.Ordinal),
            });
        }
        return records;
    }
}
