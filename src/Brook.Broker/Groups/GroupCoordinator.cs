using Brook.Broker.Cluster;
using Brook.Broker.Observability;
using Brook.Broker.Partitions;
using Brook.Protocol.Compression;
using Brook.Protocol.Errors;
using Brook.Protocol.Records;
using Brook.Storage;
using Microsoft.Extensions.Logging;

namespace Brook.Broker.Groups;

/// <summary>
/// The classic group coordinator of this node, modelled on Kafka's: every operation that changes
/// durable state yields records for <c>__consumer_offsets</c> (the partition that owns the group)
/// and the state changes only once those records are committed; start-up replays the partitions.
/// Join and sync responses wait (as Kafka's purgatory does) until the rebalance moves on; session,
/// rebalance and initial-delay timeouts run on the injected <see cref="TimeProvider"/>. All group
/// state is guarded by one lock; nothing waits while holding it.
/// </summary>
public sealed partial class GroupCoordinator : IDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, ClassicGroup> _groups = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _topicLock = new(1, 1);
    private readonly KafkaBroker _broker;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private ITimer? _retentionTimer;
    private ITimer? _lagTimer;
    private MetricFamily<Gauge>? _lagGauges;
    private bool _disposed;

    internal GroupCoordinator(KafkaBroker broker, GroupCoordinatorOptions options, ILogger logger)
    {
        _broker = broker;
        Options = options;
        _logger = logger;
        _time = broker.Time;
    }

    public GroupCoordinatorOptions Options { get; }

    private long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Exports <c>brook_consumer_group_lag</c> on this registry.</summary>
    public void AttachMetrics(MetricRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        _lagGauges = registry.GaugeFamily("brook_consumer_group_lag", "Log end offset minus the group's committed offset, per partition.", "group", "topic", "partition");
        RefreshLagMetrics();
        _lagTimer?.Dispose();
        _lagTimer = _time.CreateTimer(_ => RefreshLagMetrics(), null, Options.LagRefreshInterval, Options.LagRefreshInterval);
    }

    /// <summary>Rebuilds groups and offsets by replaying <c>__consumer_offsets</c>, then starts the retention check.</summary>
    internal void Load()
    {
        if (_broker.TryGetTopic(OffsetsTopic.Name, out TopicState? topic))
        {
            foreach (PartitionLeader partition in topic.Partitions)
            {
                Replay(partition.Log, partition.Id.Partition);
            }
        }
        lock (_lock)
        {
            foreach (ClassicGroup group in _groups.Values)
            {
                foreach (GroupMember member in group.Members)
                {
                    ScheduleSessionExpiry(group, member);
                }
            }
            ScheduleConsumerSessions();
        }
        _retentionTimer = _time.CreateTimer(_ => ExpireOffsets(), null, Options.OffsetsRetentionCheckInterval, Options.OffsetsRetentionCheckInterval);
    }

    private void Replay(PartitionLog log, int partitionIndex)
    {
        long highWatermark = log.HighWatermark;
        using var scratch = new PooledBufferWriter(0);
        LogScan.ForEachBatch(log, log.LogStartOffset, batch =>
        {
            RecordBatchHeader header = batch.Header;
            if (header.LastOffset >= highWatermark)
            {
                return;
            }
            if (header.IsControl)
            {
                ReplayMarker(partitionIndex, batch, scratch);
                return;
            }
            foreach (Record record in batch.GetRecords(scratch, 64 * 1024 * 1024))
            {
                if (!record.KeyIsNull && OffsetsRecordCodec.Decode(record.Key, record.Value, record.ValueIsNull) is { } decoded)
                {
                    if (header.IsTransactional)
                    {
                        ReplayTransactionalOffset(partitionIndex, header.ProducerId, decoded, record.Offset(header.BaseOffset));
                    }
                    else
                    {
                        Apply(decoded, record.Offset(header.BaseOffset));
                    }
                }
            }
        });
    }

    /// <summary>Applies one committed record to the in-memory state.</summary>
    private void Apply(OffsetsRecord record, long recordOffset)
    {
        lock (_lock)
        {
            switch (record)
            {
                case OffsetCommitRecord commit:
                    ApplyOffset(commit.GroupId, commit.Topic, commit.Partition, commit.Value, recordOffset);
                    break;
                case GroupMetadataRecord { Value: null } deleted:
                    if (_groups.TryGetValue(deleted.GroupId, out ClassicGroup? gone) && gone.Members.Count == 0)
                    {
                        _groups.Remove(deleted.GroupId);
                    }
                    break;
                case GroupMetadataRecord metadata:
                    RestoreGroup(metadata.GroupId, metadata.Value!);
                    break;
                default:
                    ApplyConsumerRecord(record);
                    break;
            }
        }
    }

    private void ApplyOffset(string groupId, string topic, int partition, CommittedOffset? value, long recordOffset)
    {
        if (!_groups.TryGetValue(groupId, out ClassicGroup? group))
        {
            if (value is null)
            {
                return;
            }
            group = new ClassicGroup(groupId, NowMs);
            _groups[groupId] = group;
        }
        if (group.Offsets.TryGetValue((topic, partition), out OffsetEntry? existing) && existing.RecordOffset > recordOffset)
        {
            return;
        }
        if (value is null)
        {
            group.Offsets.Remove((topic, partition));
        }
        else
        {
            group.Offsets[(topic, partition)] = new OffsetEntry(value, recordOffset);
        }
    }

    private void RestoreGroup(string groupId, StoredGroup stored)
    {
        if (!_groups.TryGetValue(groupId, out ClassicGroup? group))
        {
            group = new ClassicGroup(groupId, NowMs);
            _groups[groupId] = group;
        }
        foreach (GroupMember old in group.Members)
        {
            old.SessionTimer?.Dispose();
        }
        group.Members.Clear();
        group.StaticMembers.Clear();
        group.ProtocolType = stored.ProtocolType.Length == 0 ? null : stored.ProtocolType;
        group.Generation = stored.Generation;
        group.ProtocolName = stored.Protocol;
        group.LeaderId = stored.Leader;
        group.StateTimestamp = stored.StateTimestamp >= 0 ? stored.StateTimestamp : NowMs;
        foreach (StoredMember stored1 in stored.Members)
        {
            var member = new GroupMember(stored1.MemberId, stored1.GroupInstanceId, stored1.ClientId, stored1.ClientHost)
            {
                SessionTimeoutMs = stored1.SessionTimeoutMs,
                RebalanceTimeoutMs = stored1.RebalanceTimeoutMs,
                ProtocolType = stored.ProtocolType,
                Protocols = [(stored.Protocol ?? "", stored1.Subscription)],
                Assignment = stored1.Assignment,
            };
            group.Members.Add(member);
            if (member.GroupInstanceId is not null)
            {
                group.StaticMembers[member.GroupInstanceId] = member.MemberId;
            }
        }
        group.State = group.Members.Count == 0 ? GroupState.Empty : GroupState.Stable;
    }

    /// <summary>The leader of the group's partition of <c>__consumer_offsets</c>, creating the topic on first use; null when it cannot be had.</summary>
    internal async ValueTask<PartitionLeader?> OffsetsPartitionAsync(string groupId, CancellationToken cancellationToken)
    {
        if (!_broker.TryGetTopic(OffsetsTopic.Name, out TopicState? topic))
        {
            await _topicLock.WaitAsync(cancellationToken);
            try
            {
                if (!_broker.TryGetTopic(OffsetsTopic.Name, out topic))
                {
                    var configs = new Dictionary<string, string>(StringComparer.Ordinal)
                    {
                        ["cleanup.policy"] = "compact",
                        ["segment.bytes"] = "104857600",
                    };
                    TopicChange change = await _broker.CreateTopicAsync(OffsetsTopic.Name, Options.OffsetsTopicPartitions, configs, validateOnly: false, cancellationToken);
                    if (change.Topic is null && !_broker.TryGetTopic(OffsetsTopic.Name, out _))
                    {
                        GroupLog.OffsetsTopicFailed(_logger, change.Error.ToString());
                        return null;
                    }
                    _broker.TryGetTopic(OffsetsTopic.Name, out topic);
                }
            }
            finally
            {
                _topicLock.Release();
            }
        }
        return topic!.Partition(OffsetsTopic.PartitionFor(groupId, topic.Partitions.Count));
    }

    /// <summary>Appends records for one group and waits until they are committed; the base offset, or the error.</summary>
    private async Task<(ErrorCode Error, long BaseOffset)> AppendAsync(string groupId, IReadOnlyList<(byte[] Key, byte[]? Value)> records, CancellationToken cancellationToken, RecordBatchOptions? options = null)
    {
        PartitionLeader? partition = await OffsetsPartitionAsync(groupId, cancellationToken);
        if (partition is null)
        {
            return (ErrorCode.CoordinatorNotAvailable, -1);
        }
        AppendOutcome outcome = partition.Append(EncodeBatch(records, options));
        if (outcome.Error != ErrorCode.None)
        {
            return (CoordinatorError(outcome.Error), -1);
        }
        ErrorCode committed = await partition.WaitUntilCommittedAsync(outcome.EndOffset, cancellationToken);
        return committed == ErrorCode.None ? (ErrorCode.None, outcome.FirstOffset) : (CoordinatorError(committed), -1);
    }

    private byte[] EncodeBatch(IReadOnlyList<(byte[] Key, byte[]? Value)> records) => EncodeBatch(records, null);

    /// <summary>One batch of the records; transactional offset commits pass their producer's options.</summary>
    private byte[] EncodeBatch(IReadOnlyList<(byte[] Key, byte[]? Value)> records, RecordBatchOptions? options)
    {
        long now = NowMs;
        using var builder = new RecordBatchBuilder(options ?? RecordBatchOptions.Default, 1024);
        foreach ((byte[] key, byte[]? value) in records)
        {
            builder.Append(now, key, keyIsNull: false, value ?? [], valueIsNull: value is null);
        }
        using var output = new PooledBufferWriter(1024);
        builder.WriteTo(output);
        return output.WrittenSpan.ToArray();
    }

    private readonly Dictionary<PartitionLeader, SharedOffsetsAppender> _sharedAppenders = [];

    /// <summary>Like <see cref="AppendAsync"/>, but shares the append and fsync with other commits waiting on the same partition (<see cref="SharedOffsetsAppender"/>).</summary>
    private async Task<(ErrorCode Error, long BaseOffset)> AppendSharedAsync(string groupId, IReadOnlyList<(byte[] Key, byte[]? Value)> records, CancellationToken cancellationToken)
    {
        PartitionLeader? partition = await OffsetsPartitionAsync(groupId, cancellationToken);
        if (partition is null)
        {
            return (ErrorCode.CoordinatorNotAvailable, -1);
        }
        SharedOffsetsAppender appender;
        lock (_lock)
        {
            if (!_sharedAppenders.TryGetValue(partition, out appender!))
            {
                appender = new SharedOffsetsAppender(partition, EncodeBatch);
                _sharedAppenders[partition] = appender;
            }
        }
        Task<(ErrorCode Error, long BaseOffset)> appended = appender.AppendAsync(records);
        (ErrorCode error, long baseOffset) = cancellationToken.CanBeCanceled ? await appended.WaitAsync(cancellationToken) : await appended;
        return error == ErrorCode.None ? (error, baseOffset) : (CoordinatorError(error), -1);
    }

    /// <summary>Kafka maps storage failures of the offsets topic to errors a client retries against the coordinator.</summary>
    private static ErrorCode CoordinatorError(ErrorCode error) => error switch
    {
        ErrorCode.UnknownTopicOrPartition or ErrorCode.NotEnoughReplicas or ErrorCode.RequestTimedOut => ErrorCode.CoordinatorNotAvailable,
        ErrorCode.NotLeaderOrFollower or ErrorCode.KafkaStorageError => ErrorCode.NotCoordinator,
        ErrorCode.MessageTooLarge or ErrorCode.RecordListTooLarge or ErrorCode.InvalidFetchSize => ErrorCode.UnknownServerError,
        _ => error,
    };

    private StoredGroup Snapshot(ClassicGroup group, Dictionary<string, byte[]>? assignments = null)
    {
        var members = new List<StoredMember>(group.Members.Count);
        foreach (GroupMember member in group.Members)
        {
            byte[] assignment = assignments is null ? member.Assignment : assignments.GetValueOrDefault(member.MemberId, []);
            members.Add(new StoredMember(member.MemberId, member.GroupInstanceId, member.ClientId, member.ClientHost,
                member.RebalanceTimeoutMs, member.SessionTimeoutMs, member.MetadataFor(group.ProtocolName ?? "") ?? [], assignment));
        }
        return new StoredGroup(group.ProtocolType ?? "", group.Generation, group.ProtocolName, group.LeaderId, group.StateTimestamp, members);
    }

    /// <summary>Writes the group's metadata in the background (transitions to Empty, static member replacement).</summary>
    private void StoreGroupInBackground(ClassicGroup group)
    {
        byte[] value = OffsetsRecordCodec.GroupValue(Snapshot(group));
        _ = StoreQuietlyAsync(group.GroupId, value);
    }

    private async Task StoreQuietlyAsync(string groupId, byte[] value)
    {
        try
        {
            (ErrorCode error, _) = await AppendAsync(groupId, [(OffsetsRecordCodec.GroupKey(groupId), value)], CancellationToken.None);
            if (error != ErrorCode.None)
            {
                GroupLog.StoreFailed(_logger, groupId, error.ToString());
            }
        }
        catch (ObjectDisposedException)
        {
            // Shutting down: the group is rebuilt from what was committed.
        }
    }

    private ITimer Timer(Action action, TimeSpan due) =>
        _time.CreateTimer(static state => ((Action)state!)(), action, due, Timeout.InfiniteTimeSpan);

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            _retentionTimer?.Dispose();
            _lagTimer?.Dispose();
            DisposeConsumerGroups();
            foreach (ClassicGroup group in _groups.Values)
            {
                group.PhaseTimer?.Dispose();
                foreach (ITimer pending in group.PendingMembers.Values)
                {
                    pending.Dispose();
                }
                foreach (GroupMember member in group.Members)
                {
                    member.SessionTimer?.Dispose();
                    member.JoinWaiter?.TrySetResult(GroupResponses.JoinError(ErrorCode.CoordinatorNotAvailable, member.MemberId, member.JoinVersion));
                    member.SyncWaiter?.TrySetResult(GroupResponses.SyncError(ErrorCode.CoordinatorNotAvailable));
                }
            }
        }
        _topicLock.Dispose();
    }
}
