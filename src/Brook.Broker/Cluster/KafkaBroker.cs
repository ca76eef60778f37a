using System.Collections.Concurrent;
using System.Net;
using Brook.Broker.Groups;
using Brook.Broker.Observability;
using Brook.Broker.Partitions;
using Brook.Broker.Transactions;
using Brook.Protocol.Errors;
using Brook.Protocol.Primitives;
using Brook.Storage;
using Microsoft.Extensions.Logging;

namespace Brook.Broker.Cluster;

/// <summary>
/// The state a single-node broker serves from: the logs of a data directory, the topics the
/// metadata log defines (replayed at start-up), the leaders of their partitions and the
/// producer-id allocator. Every metadata change is appended to the metadata log and made
/// durable before it is applied, under one lock, so a restart rebuilds the same state.
/// </summary>
public sealed class KafkaBroker : IAsyncDisposable
{
    // Producer ids are reserved in blocks, so the metadata log gets one record per block, not per producer.
    private const long ProducerIdBlock = 1000;

    private readonly ConcurrentDictionary<string, TopicState> _byName = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Uuid, TopicState> _byId = new();
    private readonly SemaphoreSlim _metadataLock = new(1, 1);
    private readonly Func<DnsEndPoint> _advertised;
    private readonly ILogger _logger;
    private readonly LogManager _logs;
    private readonly MetadataLog _metadata;
    private long _nextProducerId;
    private long _reservedProducerIds;

    private KafkaBroker(int nodeId, LogManager logs, Func<DnsEndPoint> advertised, KafkaBrokerOptions options, ILogger logger, TimeProvider time)
    {
        Time = time;
        NodeId = nodeId;
        _logs = logs;
        _advertised = advertised;
        Options = options;
        _logger = logger;
        _metadata = new MetadataLog(logs);
        Groups = new GroupCoordinator(this, options.Groups, logger);
        Transactions = new TransactionCoordinator(this, options.Transactions, logger);
        TransactionMarkers = new TransactionMarkerWriter(this);
        TransactionVerifier = Transactions;
        TransactionMarkerListener = Groups;
        // Until a server attaches its registry, topic metrics go to one nobody renders.
        Metrics = new TopicMetrics(new MetricRegistry(), () => _byName.Values);
    }

    /// <summary>Per-topic traffic counters and per-partition log gauges.</summary>
    public TopicMetrics Metrics { get; private set; }

    /// <summary>Registers the topic and partition metrics on the server's registry.</summary>
    public void AttachMetrics(MetricRegistry registry)
    {
        var metrics = new TopicMetrics(registry, () => _byName.Values);
        _logs.Flusher.FlushTimed = elapsed => metrics.LogFlushSeconds.Observe(elapsed.TotalSeconds);
        Metrics = metrics;
    }

    /// <summary>The group coordinator (consumer groups and their committed offsets).</summary>
    public GroupCoordinator Groups { get; }

    /// <summary>The transaction coordinator (transactional ids and their transactions).</summary>
    public TransactionCoordinator Transactions { get; }

    /// <summary>Writes transaction markers (WriteTxnMarkers and the in-process transaction coordinator).</summary>
    public TransactionMarkerWriter TransactionMarkers { get; }

    /// <summary>KIP-890 check of a transaction's first batch on a partition (set by the transaction coordinator; null: none).</summary>
    public ITransactionVerifier? TransactionVerifier { get; set; }

    /// <summary>Told when a marker is committed on <c>__consumer_offsets</c> (set by the group coordinator side; null: nobody).</summary>
    public ITransactionMarkerListener? TransactionMarkerListener { get; set; }

    public int NodeId { get; }

    public string ClusterId { get; private set; } = "";

    public KafkaBrokerOptions Options { get; }

    public TimeProvider Time { get; }

    public string DataDirectory => _logs.DataDirectory;

    public DnsEndPoint AdvertisedAddress => _advertised();

    public ICollection<TopicState> Topics => _byName.Values;

    /// <summary>Opens the data directory, replays the metadata log and recovers every partition.</summary>
    public static async Task<KafkaBroker> OpenAsync(int nodeId, string dataDirectory, Func<DnsEndPoint> advertised,
        KafkaBrokerOptions options, ILoggerFactory loggerFactory, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(loggerFactory);
        LogManager logs = LogManager.Open(new LogManagerOptions
        {
            DataDirectory = dataDirectory,
            Time = time,
            LoggerFactory = loggerFactory,
            HighWatermarkFollowsLogEnd = false,
            ZeroWindowBytes = options.LogZeroWindowBytes,
            ZeroWindowMaxBytesPerSecond = options.LogZeroWindowMaxBytesPerSecond,
        });
        var broker = new KafkaBroker(nodeId, logs, advertised, options, loggerFactory.CreateLogger("Brook.Broker"), time);
        await broker.LoadAsync();
        return broker;
    }

    private async Task LoadAsync()
    {
        IReadOnlyList<MetadataRecord> records = _metadata.ReadAll();
        MetadataRecordsReplayed = records.Count;
        foreach (MetadataRecord record in MetadataReplay.RecordsToApply(records))
        {
            Apply(record, recovering: true);
        }
        if (ClusterId.Length == 0)
        {
            var cluster = new MetadataRecord { Type = MetadataRecord.ClusterType, ClusterId = Uuid.NewRandom().ToString() };
            await AppendAndApplyAsync(cluster, CancellationToken.None);
        }
        _nextProducerId = _reservedProducerIds;
        await SnapshotMetadataIfLongAsync(records.Count);
        Groups.Load();
        Transactions.Load();
        BrokerLog.Loaded(_logger, ClusterId, records.Count, _byName.Count);
    }

    /// <summary>
    /// When replay read more than <see cref="KafkaBrokerOptions.MetadataSnapshotRecords"/> records
    /// and the state they built takes at most half as many, the metadata log is rewritten as that
    /// state (<see cref="MetadataSnapshot"/>), so the next start-up replays the snapshot instead.
    /// </summary>
    private async Task SnapshotMetadataIfLongAsync(int replayed)
    {
        if (replayed <= Options.MetadataSnapshotRecords)
        {
            return;
        }
        IReadOnlyList<MetadataRecord> snapshot = MetadataSnapshot.Of(ClusterId, _reservedProducerIds, _byName.Values);
        if (snapshot.Count * 2 > replayed)
        {
            return;
        }
        if (await _metadata.ReplaceWithAsync(snapshot))
        {
            BrokerLog.MetadataSnapshotted(_logger, replayed, snapshot.Count);
        }
    }

    /// <summary>How many metadata records start-up replayed (a snapshot keeps this near the number of topics).</summary>
    public int MetadataRecordsReplayed { get; private set; }

    public bool TryGetTopic(string name, out TopicState topic) => _byName.TryGetValue(name, out topic!);

    public bool TryGetTopic(Uuid id, out TopicState topic) => _byId.TryGetValue(id, out topic!);

    public PartitionLeader? FindPartition(string topic, int partition) =>
        _byName.TryGetValue(topic, out TopicState? state) ? state.Partition(partition) : null;

    /// <summary>Creates a topic (or only checks that it could be created).</summary>
    public async Task<TopicChange> CreateTopicAsync(string name, int partitions, IReadOnlyDictionary<string, string> configs,
        bool validateOnly, CancellationToken cancellationToken)
    {
        if (!TopicNames.IsValid(name) || TopicNames.IsReserved(name))
        {
            return TopicChange.Fail(ErrorCode.InvalidTopicException, $"Topic name \"{name}\" is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-', or is reserved or too long");
        }
        if (partitions <= 0)
        {
            return TopicChange.Fail(ErrorCode.InvalidPartitions, "Number of partitions must be larger than 0.");
        }
        if (TopicConfigs.Validate(configs) is { } invalid)
        {
            return TopicChange.Fail(ErrorCode.InvalidConfig, invalid);
        }
        await _metadataLock.WaitAsync(cancellationToken);
        try
        {
            if (_byName.ContainsKey(name))
            {
                return TopicChange.Fail(ErrorCode.TopicAlreadyExists, $"Topic '{name}' already exists.");
            }
            if (validateOnly)
            {
                return TopicChange.Ok(null);
            }
            var record = new MetadataRecord
            {
                Type = MetadataRecord.TopicType,
                Topic = name,
                TopicId = Uuid.NewRandom().ToString(),
                Partitions = partitions,
                Configs = new Dictionary<string, string>(configs, StringComparer.Ordinal),
            };
            await AppendAndApplyAsync(record, cancellationToken);
            BrokerLog.TopicCreated(_logger, name, partitions);
            return TopicChange.Ok(_byName[name]);
        }
        finally
        {
            _metadataLock.Release();
        }
    }

    public async Task<TopicChange> DeleteTopicAsync(TopicState topic, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(topic);
        await _metadataLock.WaitAsync(cancellationToken);
        try
        {
            if (!_byName.TryGetValue(topic.Name, out TopicState? current) || current != topic)
            {
                return TopicChange.Fail(ErrorCode.UnknownTopicOrPartition);
            }
            await AppendAndApplyAsync(new MetadataRecord { Type = MetadataRecord.DeleteTopicType, Topic = topic.Name, TopicId = topic.Id.ToString() }, cancellationToken);
            BrokerLog.TopicDeleted(_logger, topic.Name);
        }
        finally
        {
            _metadataLock.Release();
        }
        // Outside the metadata lock: writing tombstones may have to create __consumer_offsets, which takes it.
        await Groups.DeleteOffsetsOfTopicAsync(topic.Name, cancellationToken);
        return TopicChange.Ok(topic);
    }

    public async Task<TopicChange> CreatePartitionsAsync(string name, int count, bool validateOnly, CancellationToken cancellationToken)
    {
        await _metadataLock.WaitAsync(cancellationToken);
        try
        {
            if (!_byName.TryGetValue(name, out TopicState? topic))
            {
                return TopicChange.Fail(ErrorCode.UnknownTopicOrPartition, $"The topic '{name}' does not exist.");
            }
            int current = topic.Partitions.Count;
            if (count <= current)
            {
                return TopicChange.Fail(ErrorCode.InvalidPartitions, $"Topic currently has {current} partitions, which is higher than the requested {count}.");
            }
            if (!validateOnly)
            {
                await AppendAndApplyAsync(new MetadataRecord { Type = MetadataRecord.PartitionsType, Topic = name, TopicId = topic.Id.ToString(), Partitions = count }, cancellationToken);
            }
            return TopicChange.Ok(topic);
        }
        finally
        {
            _metadataLock.Release();
        }
    }

    /// <summary>Replaces a topic's overrides (AlterConfigs semantics; incremental callers merge first).</summary>
    public async Task<TopicChange> SetTopicConfigsAsync(string name, IReadOnlyDictionary<string, string> configs, bool validateOnly, CancellationToken cancellationToken)
    {
        if (TopicConfigs.Validate(configs) is { } invalid)
        {
            return TopicChange.Fail(ErrorCode.InvalidConfig, invalid);
        }
        await _metadataLock.WaitAsync(cancellationToken);
        try
        {
            if (!_byName.TryGetValue(name, out TopicState? topic))
            {
                return TopicChange.Fail(ErrorCode.UnknownTopicOrPartition);
            }
            if (!validateOnly)
            {
                await AppendAndApplyAsync(new MetadataRecord { Type = MetadataRecord.ConfigType, Topic = name, TopicId = topic.Id.ToString(), Configs = new(configs, StringComparer.Ordinal) }, cancellationToken);
            }
            return TopicChange.Ok(topic);
        }
        finally
        {
            _metadataLock.Release();
        }
    }

    /// <summary>A producer id never handed out before, in this process or an earlier one.</summary>
    public async Task<long> AllocateProducerIdAsync(CancellationToken cancellationToken)
    {
        await _metadataLock.WaitAsync(cancellationToken);
        try
        {
            if (_nextProducerId >= _reservedProducerIds)
            {
                await AppendAndApplyAsync(new MetadataRecord { Type = MetadataRecord.ProducerIdsType, NextProducerId = _reservedProducerIds + ProducerIdBlock }, cancellationToken);
            }
            return _nextProducerId++;
        }
        finally
        {
            _metadataLock.Release();
        }
    }

    private async Task AppendAndApplyAsync(MetadataRecord record, CancellationToken cancellationToken)
    {
        if (!await _metadata.AppendAsync([record], cancellationToken))
        {
            throw new IOException("the metadata log could not be written");
        }
        Apply(record, recovering: false);
    }

    private void Apply(MetadataRecord record, bool recovering)
    {
        switch (record.Type)
        {
            case MetadataRecord.ClusterType:
                ClusterId = record.ClusterId ?? ClusterId;
                break;
            case MetadataRecord.TopicType:
                ApplyTopic(record, recovering);
                break;
            case MetadataRecord.PartitionsType:
                if (_byName.TryGetValue(record.Topic!, out TopicState? grown))
                {
                    grown.SetPartitions(OpenPartitions(grown.Name, grown.Id, grown.Configs, grown.Partitions, record.Partitions, recovering));
                }
                break;
            case MetadataRecord.ConfigType:
                if (_byName.TryGetValue(record.Topic!, out TopicState? configured))
                {
                    IReadOnlyDictionary<string, string> configs = record.Configs ?? [];
                    configured.SetConfigs(configs);
                    LogConfig logConfig = TopicConfigs.ToLogConfig(configs);
                    foreach (PartitionLeader partition in configured.Partitions)
                    {
                        partition.Log.UpdateConfig(logConfig);
                    }
                }
                break;
            case MetadataRecord.DeleteTopicType:
                ApplyDelete(record.Topic!);
                break;
            case MetadataRecord.ProducerIdsType:
                _reservedProducerIds = Math.Max(_reservedProducerIds, record.NextProducerId);
                break;
            default:
                BrokerLog.UnknownMetadataRecord(_logger, record.Type);
                break;
        }
    }

    private void ApplyTopic(MetadataRecord record, bool recovering)
    {
        string name = record.Topic!;
        _ = Uuid.TryParse(record.TopicId, out Uuid id);
        IReadOnlyDictionary<string, string> configs = record.Configs ?? [];
        var topic = new TopicState(name, id, configs, OpenPartitions(name, id, configs, [], record.Partitions, recovering));
        _byName[name] = topic;
        _byId[id] = topic;
    }

    private PartitionLeader[] OpenPartitions(string topic, Uuid id, IReadOnlyDictionary<string, string> configs,
        IReadOnlyList<PartitionLeader> existing, int count, bool recovering)
    {
        LogConfig logConfig = TopicConfigs.ToLogConfig(configs);
        var partitions = new PartitionLeader[count];
        for (int i = 0; i < count; i++)
        {
            if (i < existing.Count)
            {
                partitions[i] = existing[i];
                continue;
            }
            // Claimed by the topic's id: a directory of an earlier topic of this name is set aside, not adopted.
            PartitionLog log = id == Uuid.Zero
                ? _logs.GetOrCreateLog(new TopicPartition(topic, i), logConfig)
                : _logs.ClaimLog(new TopicPartition(topic, i), id.ToString(), logConfig);
            partitions[i] = new PartitionLeader(new TopicPartition(topic, i), id, log, time: Time);
            if (recovering)
            {
                partitions[i].Recover();
            }
        }
        return partitions;
    }

    private void ApplyDelete(string name)
    {
        if (!_byName.TryRemove(name, out TopicState? topic))
        {
            return;
        }
        _byId.TryRemove(topic.Id, out _);
        Metrics.Forget(topic);
        foreach (PartitionLeader partition in topic.Partitions)
        {
            _logs.DeleteLog(partition.Id);
            partition.WakeWaiters();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Transactions.Dispose();
        Groups.Dispose();
        foreach (TopicState topic in _byName.Values)
        {
            foreach (PartitionLeader partition in topic.Partitions)
            {
                try
                {
                    partition.SaveProducerState();
                }
                catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
                {
                    BrokerLog.ProducerStateNotSaved(_logger, partition.Id.ToString(), exception.Message);
                }
            }
        }
        await _logs.DisposeAsync();
        _metadataLock.Dispose();
    }
}
