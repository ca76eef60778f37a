using Brook.Client.Connections;
using Brook.Protocol.Errors;
using Brook.Protocol.Messages;

namespace Brook.Client.Admin;

/// <summary>
/// Topic, partition, offset and config administration. Calls that change topics go to the
/// controller; offset calls go to each partition's leader. Per-item errors are returned as data
/// (<see cref="TopicResult"/>); the single-item conveniences throw <see cref="KafkaException"/>.
/// An API the broker does not serve throws <see cref="UnsupportedApiException"/> naming it.
/// </summary>
public sealed partial class KafkaAdminClient : IAsyncDisposable
{
    private readonly bool _ownsCluster;

    public KafkaAdminClient(KafkaClientOptions options)
        : this(new KafkaCluster(options), ownsCluster: true)
    {
    }

    public KafkaAdminClient(KafkaCluster cluster, bool ownsCluster = false)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        Cluster = cluster;
        _ownsCluster = ownsCluster;
    }

    public KafkaCluster Cluster { get; }

    private TimeSpan Timeout => Cluster.Options.RequestTimeout;

    public async Task<IReadOnlyList<CreatedTopic>> CreateTopicsAsync(IEnumerable<NewTopic> topics, bool validateOnly = false,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(topics);
        var request = new CreateTopicsRequest { timeoutMs = (int)Timeout.TotalMilliseconds, validateOnly = validateOnly };
        foreach (NewTopic topic in topics)
        {
            var creatable = new CreateTopicsRequest.CreatableTopic
            {
                Name = topic.Name,
                NumPartitions = topic.Partitions,
                ReplicationFactor = topic.ReplicationFactor,
            };
            foreach ((string name, string? value) in topic.Configs)
            {
                creatable.Configs.Add(new CreateTopicsRequest.CreateableTopicConfig { Name = name, Value = value });
            }
            request.Topics.Add(creatable);
        }
        KafkaConnection connection = await Cluster.GetControllerConnectionAsync(cancellationToken);
        CreateTopicsResponse response = await connection.SendAsync<CreateTopicsResponse>(request, cancellationToken);
        Cluster.InvalidateMetadata();
        return response.Topics
            .Select(t => new CreatedTopic(t.Name, t.TopicId, t.NumPartitions, t.ReplicationFactor, (ErrorCode)t.ErrorCode, t.ErrorMessage,
                (t.Configs ?? []).ToDictionary(c => c.Name, c => c.Value)))
            .ToArray();
    }

    /// <summary>Creates one topic; throws <see cref="KafkaException"/> (e.g. TOPIC_ALREADY_EXISTS) on failure.</summary>
    public async Task<CreatedTopic> CreateTopicAsync(NewTopic topic, CancellationToken cancellationToken = default)
    {
        CreatedTopic created = (await CreateTopicsAsync([topic], cancellationToken: cancellationToken)).Single();
        ThrowOnError(created.Error, created.ErrorMessage);
        return created;
    }

    public async Task<IReadOnlyList<TopicResult>> DeleteTopicsAsync(IEnumerable<string> topics, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(topics);
        KafkaConnection connection = await Cluster.GetControllerConnectionAsync(cancellationToken);
        var request = new DeleteTopicsRequest { TimeoutMs = (int)Timeout.TotalMilliseconds };
        bool byState = connection.VersionFor(ApiKey.DeleteTopics) >= 6;
        foreach (string topic in topics)
        {
            if (byState)
            {
                request.Topics.Add(new DeleteTopicsRequest.DeleteTopicState { Name = topic });
            }
            else
            {
                request.TopicNames.Add(topic);
            }
        }
        DeleteTopicsResponse response = await connection.SendAsync<DeleteTopicsResponse>(request, cancellationToken);
        Cluster.InvalidateMetadata();
        return response.Responses.Select(r => new TopicResult(r.Name ?? "", (ErrorCode)r.ErrorCode, r.ErrorMessage)).ToArray();
    }

    public async Task DeleteTopicAsync(string topic, CancellationToken cancellationToken = default)
    {
        TopicResult result = (await DeleteTopicsAsync([topic], cancellationToken)).Single();
        ThrowOnError(result.Error, result.ErrorMessage);
    }

    /// <summary>Topic names, sorted; internal topics only when asked for.</summary>
    public async Task<IReadOnlyList<string>> ListTopicsAsync(bool includeInternal = false, CancellationToken cancellationToken = default)
    {
        ClusterMetadata metadata = await Cluster.RefreshMetadataAsync(null, cancellationToken);
        return metadata.Topics.Values
            .Where(t => t.Error == ErrorCode.None && (includeInternal || !t.IsInternal))
            .Select(t => t.Name)
            .Order(StringComparer.Ordinal)
            .ToArray();
    }

    /// <summary>Partitions, leaders and replicas of <paramref name="topics"/>; throws for a topic that does not exist.</summary>
    public async Task<IReadOnlyList<TopicDescription>> DescribeTopicsAsync(IEnumerable<string> topics, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(topics);
        string[] names = [.. topics];
        ClusterMetadata metadata = await Cluster.RefreshMetadataAsync(names, cancellationToken);
        var result = new List<TopicDescription>(names.Length);
        foreach (string name in names)
        {
            if (!metadata.Topics.TryGetValue(name, out TopicMetadata? topic))
            {
                throw new KafkaException(ErrorCode.UnknownTopicOrPartition, $"topic '{name}' does not exist");
            }
            ThrowOnError(topic.Error, $"topic '{name}': {topic.Error.Message()}");
            result.Add(new TopicDescription(topic.Name, topic.TopicId, topic.IsInternal, topic.Partitions));
        }
        return result;
    }

    /// <summary>Grows <paramref name="topic"/> to <paramref name="totalPartitions"/> partitions.</summary>
    public async Task CreatePartitionsAsync(string topic, int totalPartitions, CancellationToken cancellationToken = default)
    {
        var request = new CreatePartitionsRequest { TimeoutMs = (int)Timeout.TotalMilliseconds };
        request.Topics.Add(new CreatePartitionsRequest.CreatePartitionsTopic { Name = topic, Count = totalPartitions, Assignments = null });
        KafkaConnection connection = await Cluster.GetControllerConnectionAsync(cancellationToken);
        CreatePartitionsResponse response = await connection.SendAsync<CreatePartitionsResponse>(request, cancellationToken);
        Cluster.InvalidateMetadata();
        foreach (CreatePartitionsResponse.CreatePartitionsTopicResult result in response.Results)
        {
            ThrowOnError((ErrorCode)result.ErrorCode, result.ErrorMessage);
        }
    }

    /// <summary>The cluster id, controller and brokers (DescribeCluster when served, else Metadata).</summary>
    public async Task<ClusterDescription> DescribeClusterAsync(CancellationToken cancellationToken = default)
    {
        KafkaConnection connection = await Cluster.GetAnyConnectionAsync(cancellationToken);
        if (!connection.Versions.Supports(ApiKey.DescribeCluster))
        {
            ClusterMetadata metadata = await Cluster.RefreshMetadataAsync(null, cancellationToken);
            return new ClusterDescription(metadata.ClusterId, metadata.ControllerId, [.. metadata.Brokers.Values.OrderBy(b => b.NodeId)]);
        }
        DescribeClusterResponse response = await connection.SendAsync<DescribeClusterResponse>(new DescribeClusterRequest(), cancellationToken);
        ThrowOnError((ErrorCode)response.ErrorCode, response.ErrorMessage);
        return new ClusterDescription(response.ClusterId, response.ControllerId,
            [.. response.Brokers.Select(b => new BrokerNode(b.BrokerId, b.Host, b.Port, b.Rack)).OrderBy(b => b.NodeId)]);
    }

    /// <summary>Offsets by spec (earliest, latest, by timestamp) from each partition's leader; throws on a partition error.</summary>
    public async Task<IReadOnlyDictionary<TopicPartition, ListedOffset>> ListOffsetsAsync(
        IEnumerable<KeyValuePair<TopicPartition, OffsetSpec>> partitions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        var result = new Dictionary<TopicPartition, ListedOffset>();
        foreach (IGrouping<int, KeyValuePair<TopicPartition, OffsetSpec>> leader in await GroupByLeaderAsync(partitions, p => p.Key, cancellationToken))
        {
            var request = new ListOffsetsRequest { ReplicaId = -1 };
            foreach (IGrouping<string, KeyValuePair<TopicPartition, OffsetSpec>> topic in leader.GroupBy(p => p.Key.Topic))
            {
                var requestTopic = new ListOffsetsRequest.ListOffsetsTopic { Name = topic.Key };
                foreach (KeyValuePair<TopicPartition, OffsetSpec> partition in topic)
                {
                    requestTopic.Partitions.Add(new ListOffsetsRequest.ListOffsetsPartition
                    {
                        PartitionIndex = partition.Key.Partition,
                        Timestamp = partition.Value.Timestamp,
                    });
                }
                request.Topics.Add(requestTopic);
            }
            KafkaConnection connection = await Cluster.GetConnectionAsync(leader.Key, cancellationToken);
            ListOffsetsResponse response = await connection.SendAsync<ListOffsetsResponse>(request, cancellationToken);
            foreach (ListOffsetsResponse.ListOffsetsTopicResponse topic in response.Topics)
            {
                foreach (ListOffsetsResponse.ListOffsetsPartitionResponse partition in topic.Partitions)
                {
                    ThrowOnPartitionError((ErrorCode)partition.ErrorCode, topic.Name, partition.PartitionIndex);
                    result[new TopicPartition(topic.Name, partition.PartitionIndex)] =
                        new ListedOffset(partition.Offset, partition.Timestamp, partition.LeaderEpoch);
                }
            }
        }
        return result;
    }

    /// <summary>Deletes records before the given offsets (-1: the high watermark); returns each partition's new low watermark.</summary>
    public async Task<IReadOnlyDictionary<TopicPartition, long>> DeleteRecordsAsync(
        IEnumerable<KeyValuePair<TopicPartition, long>> beforeOffsets, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(beforeOffsets);
        var result = new Dictionary<TopicPartition, long>();
        foreach (IGrouping<int, KeyValuePair<TopicPartition, long>> leader in await GroupByLeaderAsync(beforeOffsets, p => p.Key, cancellationToken))
        {
            var request = new DeleteRecordsRequest { TimeoutMs = (int)Timeout.TotalMilliseconds };
            foreach (IGrouping<string, KeyValuePair<TopicPartition, long>> topic in leader.GroupBy(p => p.Key.Topic))
            {
                var requestTopic = new DeleteRecordsRequest.DeleteRecordsTopic { Name = topic.Key };
                foreach (KeyValuePair<TopicPartition, long> partition in topic)
                {
                    requestTopic.Partitions.Add(new DeleteRecordsRequest.DeleteRecordsPartition { PartitionIndex = partition.Key.Partition, Offset = partition.Value });
                }
                request.Topics.Add(requestTopic);
            }
            KafkaConnection connection = await Cluster.GetConnectionAsync(leader.Key, cancellationToken);
            DeleteRecordsResponse response = await connection.SendAsync<DeleteRecordsResponse>(request, cancellationToken);
            foreach (DeleteRecordsResponse.DeleteRecordsTopicResult topic in response.Topics)
            {
                foreach (DeleteRecordsResponse.DeleteRecordsPartitionResult partition in topic.Partitions)
                {
                    ThrowOnPartitionError((ErrorCode)partition.ErrorCode, topic.Name, partition.PartitionIndex);
                    result[new TopicPartition(topic.Name, partition.PartitionIndex)] = partition.LowWatermark;
                }
            }
        }
        return result;
    }

    /// <summary>Config entries of a topic or broker. Throws <see cref="UnsupportedApiException"/> when the broker does not serve DescribeConfigs.</summary>
    public async Task<IReadOnlyList<ConfigEntry>> DescribeConfigsAsync(ConfigResource resource, CancellationToken cancellationToken = default)
    {
        var request = new DescribeConfigsRequest();
        request.Resources.Add(new DescribeConfigsRequest.DescribeConfigsResource
        {
            ResourceType = (sbyte)resource.Type,
            ResourceName = resource.Name,
            ConfigurationKeys = null,
        });
        KafkaConnection connection = await Cluster.GetAnyConnectionAsync(cancellationToken);
        DescribeConfigsResponse response = await connection.SendAsync<DescribeConfigsResponse>(request, cancellationToken);
        DescribeConfigsResponse.DescribeConfigsResult result = response.Results.Single();
        ThrowOnError((ErrorCode)result.ErrorCode, result.ErrorMessage);
        return result.Configs.Select(c => new ConfigEntry(c.Name, c.Value, c.IsDefault || c.ConfigSource == 5, c.ReadOnly, c.IsSensitive)).ToArray();
    }

    /// <summary>Changes configs with IncrementalAlterConfigs. Throws <see cref="UnsupportedApiException"/> when the broker does not serve it.</summary>
    public async Task AlterConfigsAsync(ConfigResource resource, IEnumerable<ConfigChange> changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var alter = new IncrementalAlterConfigsRequest.AlterConfigsResource { ResourceType = (sbyte)resource.Type, ResourceName = resource.Name };
        foreach (ConfigChange change in changes)
        {
            alter.Configs.Add(new IncrementalAlterConfigsRequest.AlterableConfig { Name = change.Name, Value = change.Value, ConfigOperation = (sbyte)change.Operation });
        }
        var request = new IncrementalAlterConfigsRequest();
        request.Resources.Add(alter);
        KafkaConnection connection = await Cluster.GetControllerConnectionAsync(cancellationToken);
        IncrementalAlterConfigsResponse response = await connection.SendAsync<IncrementalAlterConfigsResponse>(request, cancellationToken);
        foreach (IncrementalAlterConfigsResponse.AlterConfigsResourceResponse result in response.Responses)
        {
            ThrowOnError((ErrorCode)result.ErrorCode, result.ErrorMessage);
        }
    }

    private async Task<IEnumerable<IGrouping<int, T>>> GroupByLeaderAsync<T>(IEnumerable<T> items, Func<T, TopicPartition> partitionOf,
        CancellationToken cancellationToken)
    {
        var withLeader = new List<(int Leader, T Item)>();
        foreach (T item in items)
        {
            withLeader.Add((await Cluster.GetLeaderAsync(partitionOf(item), cancellationToken), item));
        }
        return withLeader.GroupBy(x => x.Leader, x => x.Item);
    }

    internal void ThrowOnPartitionError(ErrorCode error, string topic, int partition)
    {
        if (error is ErrorCode.NotLeaderOrFollower or ErrorCode.UnknownTopicOrPartition)
        {
            Cluster.InvalidateMetadata();
        }
        ThrowOnError(error, $"{topic}-{partition}: {error.Message()}");
    }

    internal static void ThrowOnError(ErrorCode error, string? message)
    {
        if (error != ErrorCode.None)
        {
            throw new KafkaException(error, message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_ownsCluster)
        {
            await Cluster.DisposeAsync();
        }
    }
}
