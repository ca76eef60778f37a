using System.Globalization;
using Brook.Protocol.Errors;
using Brook.Protocol.Messages;

namespace Brook.Client.Connections;

/// <summary>
/// A client's view of the cluster: the bootstrap servers, a cached metadata snapshot (refreshed
/// when older than <see cref="KafkaClientOptions.MetadataMaxAge"/>, when a caller reports it stale
/// after NOT_LEADER_OR_FOLLOWER / UNKNOWN_TOPIC_OR_PARTITION, or when a topic is missing), and one
/// connection per broker, re-opened on demand after it breaks.
/// </summary>
public sealed class KafkaCluster : IAsyncDisposable
{
    private readonly KafkaClientOptions _options;
    private readonly (string Host, int Port)[] _bootstrap;
    private readonly Lock _lock = new();
    private readonly Dictionary<int, Task<KafkaConnection>> _brokers = [];
    private Task<KafkaConnection>? _bootstrapConnection;
    private ClusterMetadata _metadata = ClusterMetadata.Empty;
    private bool _stale = true;
    private bool _disposed;

    public KafkaCluster(KafkaClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _bootstrap = ParseServers(options.BootstrapServers);
    }

    public KafkaClientOptions Options => _options;

    /// <summary>The latest snapshot, possibly empty or stale; never blocks.</summary>
    public ClusterMetadata CachedMetadata => Volatile.Read(ref _metadata);

    /// <summary>Marks the cached metadata stale so the next look-up refreshes it.</summary>
    public void InvalidateMetadata() => Volatile.Write(ref _stale, true);

    /// <summary>Metadata of every topic, refreshed first when stale or older than the max age.</summary>
    public async Task<ClusterMetadata> GetMetadataAsync(CancellationToken cancellationToken = default)
    {
        ClusterMetadata current = CachedMetadata;
        if (!Volatile.Read(ref _stale) && _options.TimeProvider.GetUtcNow() - current.FetchedAt < _options.MetadataMaxAge)
        {
            return current;
        }
        return await RefreshMetadataAsync(null, cancellationToken);
    }

    /// <summary>
    /// One topic's metadata from the cache, or from the broker when it is missing or has errors.
    /// Throws <see cref="KafkaException"/> with the topic's error when the broker does not know it.
    /// </summary>
    public async ValueTask<TopicMetadata> GetTopicAsync(string topic, CancellationToken cancellationToken = default)
    {
        ClusterMetadata current = CachedMetadata;
        if (!Volatile.Read(ref _stale)
            && current.Topics.TryGetValue(topic, out TopicMetadata? cached)
            && cached.Error == ErrorCode.None
            && _options.TimeProvider.GetUtcNow() - current.FetchedAt < _options.MetadataMaxAge)
        {
            return cached;
        }
        ClusterMetadata refreshed = await RefreshMetadataAsync([topic], cancellationToken);
        if (!refreshed.Topics.TryGetValue(topic, out TopicMetadata? found))
        {
            throw new KafkaException(ErrorCode.UnknownTopicOrPartition, $"topic '{topic}' does not exist");
        }
        if (found.Error != ErrorCode.None)
        {
            throw new KafkaException(found.Error, $"topic '{topic}': {found.Error.Message()}");
        }
        return found;
    }

    /// <summary>
    /// Asks a broker for metadata of <paramref name="topics"/> (null: every topic) and merges the
    /// answer into the cache. A full refresh replaces the topic list; a partial one updates only
    /// the topics asked for.
    /// </summary>
    public async Task<ClusterMetadata> RefreshMetadataAsync(IReadOnlyCollection<string>? topics, CancellationToken cancellationToken = default)
    {
        var request = new MetadataRequest
        {
            Topics = topics?.Select(t => new MetadataRequest.MetadataRequestTopic { Name = t }).ToList(),
            AllowAutoTopicCreation = topics is not null && _options.AllowAutoCreateTopics,
        };
        KafkaConnection connection = await GetAnyConnectionAsync(cancellationToken);
        MetadataResponse response = await connection.SendAsync<MetadataResponse>(request, cancellationToken);

        var brokers = response.Brokers.ToDictionary(b => b.NodeId, b => new BrokerNode(b.NodeId, b.Host, b.Port, b.Rack));
        var fetched = new Dictionary<string, TopicMetadata>(StringComparer.Ordinal);
        foreach (MetadataResponse.MetadataResponseTopic topic in response.Topics)
        {
            if (topic.Name is null)
            {
                continue;
            }
            var partitions = topic.Partitions
                .OrderBy(p => p.PartitionIndex)
                .Select(p => new PartitionMetadata(p.PartitionIndex, p.LeaderId, p.LeaderEpoch, p.ReplicaNodes.ToArray(),
                    p.IsrNodes.ToArray(), (ErrorCode)p.ErrorCode))
                .ToArray();
            fetched[topic.Name] = new TopicMetadata(topic.Name, topic.TopicId, topic.IsInternal, (ErrorCode)topic.ErrorCode, partitions);
        }

        lock (_lock)
        {
            Dictionary<string, TopicMetadata> merged;
            if (topics is null)
            {
                merged = fetched;
            }
            else
            {
                merged = new Dictionary<string, TopicMetadata>(_metadata.Topics, StringComparer.Ordinal);
                foreach ((string name, TopicMetadata topic) in fetched)
                {
                    merged[name] = topic;
                }
            }
            _metadata = new ClusterMetadata(response.ClusterId, response.ControllerId, brokers, merged, _options.TimeProvider.GetUtcNow());
            if (topics is null)
            {
                _stale = false;
            }
            return _metadata;
        }
    }

    /// <summary>
    /// The leader's node id of <paramref name="partition"/>. Throws UNKNOWN_TOPIC_OR_PARTITION when
    /// the topic lacks the partition and LEADER_NOT_AVAILABLE when it has no leader (both retriable).
    /// </summary>
    public async ValueTask<int> GetLeaderAsync(TopicPartition partition, CancellationToken cancellationToken = default)
    {
        TopicMetadata topic = await GetTopicAsync(partition.Topic, cancellationToken);
        PartitionMetadata? found = topic.Find(partition.Partition);
        if (found is null)
        {
            InvalidateMetadata();
            throw new KafkaException(ErrorCode.UnknownTopicOrPartition, $"{partition} does not exist");
        }
        if (found.Leader < 0)
        {
            InvalidateMetadata();
            throw new KafkaException(ErrorCode.LeaderNotAvailable, $"{partition} has no leader");
        }
        return found.Leader;
    }

    /// <summary>The connection to the leader of <paramref name="partition"/>.</summary>
    public async Task<KafkaConnection> GetLeaderConnectionAsync(TopicPartition partition, CancellationToken cancellationToken = default) =>
        await GetConnectionAsync(await GetLeaderAsync(partition, cancellationToken), cancellationToken);

    /// <summary>The controller's connection when metadata names one, else any broker's.</summary>
    public async Task<KafkaConnection> GetControllerConnectionAsync(CancellationToken cancellationToken = default)
    {
        ClusterMetadata metadata = await GetMetadataAsync(cancellationToken);
        return metadata.Brokers.ContainsKey(metadata.ControllerId)
            ? await GetConnectionAsync(metadata.ControllerId, cancellationToken)
            : await GetAnyConnectionAsync(cancellationToken);
    }

    /// <summary>The connection to broker <paramref name="nodeId"/>, opened if needed.</summary>
    public Task<KafkaConnection> GetConnectionAsync(int nodeId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_brokers.TryGetValue(nodeId, out Task<KafkaConnection>? existing) && IsUsable(existing))
            {
                return existing;
            }
            if (!_metadata.Brokers.TryGetValue(nodeId, out BrokerNode? node))
            {
                InvalidateMetadata();
                return Task.FromException<KafkaConnection>(new KafkaException(ErrorCode.LeaderNotAvailable,
                    $"broker {nodeId.ToString(CultureInfo.InvariantCulture)} is not in the cluster metadata"));
            }
            if (existing is { IsCompletedSuccessfully: true })
            {
                _ = existing.Result.DisposeAsync().AsTask();
            }
            Task<KafkaConnection> opening = KafkaConnection.ConnectAsync(node.Host, node.Port, _options, CancellationToken.None);
            _brokers[nodeId] = opening;
            return opening.WaitAsync(cancellationToken);
        }
    }

    /// <summary>A connection to any broker: an open one if there is one, else the bootstrap servers in order.</summary>
    public Task<KafkaConnection> GetAnyConnectionAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            foreach (Task<KafkaConnection> connection in _brokers.Values)
            {
                if (connection.IsCompletedSuccessfully && !connection.Result.IsClosed)
                {
                    return connection;
                }
            }
            if (_bootstrapConnection is null || !IsUsable(_bootstrapConnection))
            {
                _bootstrapConnection = ConnectBootstrapAsync();
            }
            return _bootstrapConnection.WaitAsync(cancellationToken);
        }
    }

    private async Task<KafkaConnection> ConnectBootstrapAsync()
    {
        KafkaConnectionException? first = null;
        IEnumerable<(string Host, int Port)> candidates = _bootstrap.Concat(CachedMetadata.Brokers.Values.Select(b => (b.Host, b.Port)));
        foreach ((string host, int port) in candidates)
        {
            try
            {
                return await KafkaConnection.ConnectAsync(host, port, _options, CancellationToken.None);
            }
            catch (KafkaConnectionException e)
            {
                first ??= e;
            }
        }
        throw first ?? new KafkaConnectionException("no bootstrap servers configured");
    }

    private static bool IsUsable(Task<KafkaConnection> connection) =>
        !connection.IsCompleted || (connection.IsCompletedSuccessfully && !connection.Result.IsClosed);

    public async ValueTask DisposeAsync()
    {
        List<Task<KafkaConnection>> all;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            all = [.. _brokers.Values];
            if (_bootstrapConnection is not null)
            {
                all.Add(_bootstrapConnection);
            }
            _brokers.Clear();
        }
        foreach (Task<KafkaConnection> connection in all)
        {
            try
            {
                await (await connection).DisposeAsync();
            }
            catch (KafkaException)
            {
                // It never connected: nothing to close.
            }
        }
    }

    /// <summary>Parses <c>host:port[,host:port...]</c>; a missing port means 9092.</summary>
    public static (string Host, int Port)[] ParseServers(string servers)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(servers);
        return servers.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(server =>
            {
                int colon = server.LastIndexOf(':');
                if (colon < 0)
                {
                    return (server, 9092);
                }
                if (!int.TryParse(server.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is <= 0 or > 65535)
                {
                    throw new ArgumentException($"'{server}' is not host:port", nameof(servers));
                }
                return (server[..colon].Trim('[', ']'), port);
            })
            .ToArray();
    }
}
