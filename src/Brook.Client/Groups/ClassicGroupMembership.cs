using Brook.Client.Admin;
using Brook.Client.Connections;
using Brook.Client.Consuming;
using Brook.Protocol.Errors;
using Brook.Protocol.Messages;

namespace Brook.Client.Groups;

/// <summary>
/// A consumer's membership of a classic-protocol group (JoinGroup, SyncGroup, Heartbeat,
/// LeaveGroup), as the consumer's <see cref="IAssignmentSource"/>. The leader runs the chosen
/// assignor. Joining happens on the polling task inside <see cref="GetAssignmentAsync"/>: a
/// background loop only heartbeats and flags when the group rebalances, so the consumer's
/// positions are committed (through <see cref="CurrentPositions"/>) by the task that owns them
/// before the partitions are given up. With an eager assignor (range, roundrobin) every partition
/// is given up before JoinGroup; with a cooperative one (cooperative-sticky, KIP-429) the member
/// keeps its partitions through the rebalance, gives up only those no longer assigned after
/// SyncGroup, and then rejoins at once so the next round can hand them to their new owner. Uses
/// its own connections, so a JoinGroup held by the coordinator does not stall fetches.
/// </summary>
public sealed class ClassicGroupMembership : IAssignmentSource, IAsyncDisposable
{
    private readonly ClassicGroupOptions _options;
    private readonly KafkaCluster _cluster;
    private readonly KafkaAdminClient _admin;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<TopicPartition, long> _startingOffsets = [];
    private IReadOnlyCollection<TopicPartition> _assignment = [];
    private Task? _heartbeats;
    private volatile bool _rejoinNeeded = true;
    private volatile bool _joining;
    private volatile bool _membershipLost;

    public ClassicGroupMembership(KafkaClientOptions clientOptions, ClassicGroupOptions options)
    {
        ArgumentNullException.ThrowIfNull(clientOptions);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Assignors.Count == 0)
        {
            throw new ArgumentException("at least one assignor is needed", nameof(options));
        }
        _options = options;
        _cluster = new KafkaCluster(clientOptions);
        _admin = new KafkaAdminClient(_cluster);
        _time = clientOptions.TimeProvider;
    }

    public string MemberId { get; private set; } = "";

    public int GenerationId { get; private set; } = -1;

    /// <summary>The assignor the group chose at the last join.</summary>
    public string? Protocol { get; private set; }

    /// <summary>Whether this member led the last rebalance (and ran the assignor).</summary>
    public bool IsLeader { get; private set; }

    /// <summary>The consumer's positions, committed before the partitions are given up at a rebalance.</summary>
    public Func<IReadOnlyList<KeyValuePair<TopicPartition, long>>>? CurrentPositions { get; set; }

    /// <summary>Called on the polling task with the partitions this member gives up (after their positions are committed).</summary>
    public Action<IReadOnlyCollection<TopicPartition>>? PartitionsRevoked { get; set; }

    /// <summary>Called on the polling task with the partitions newly given to this member.</summary>
    public Action<IReadOnlyCollection<TopicPartition>>? PartitionsAssigned { get; set; }

    /// <summary>Whether the group's chosen assignor rebalances incrementally (KIP-429).</summary>
    public bool IsCooperative => Protocol is { } name && _options.Assignors.Any(a => a.Name == name && a is ICooperativeAssignor);

    public async ValueTask<IReadOnlyCollection<TopicPartition>> GetAssignmentAsync(CancellationToken cancellationToken)
    {
        if (_rejoinNeeded)
        {
            if (!IsCooperative)
            {
                await RevokeAsync(_assignment, cancellationToken); // eager: everything is given up before JoinGroup
            }
            await JoinAsync(cancellationToken);
        }
        return _assignment;
    }

    private async Task RevokeAsync(IReadOnlyCollection<TopicPartition> revoked, CancellationToken cancellationToken, bool commitPositions = true)
    {
        if (revoked.Count == 0)
        {
            return;
        }
        if (commitPositions && GenerationId >= 0 && CurrentPositions is { } positions)
        {
            var committing = new List<KeyValuePair<TopicPartition, long>>();
            foreach (KeyValuePair<TopicPartition, long> position in positions())
            {
                if (revoked.Contains(position.Key))
                {
                    committing.Add(position);
                }
            }
            await TryCommitAsync(committing, cancellationToken);
        }
        _assignment = [.. _assignment.Except(revoked)];
        PartitionsRevoked?.Invoke(revoked);
    }

    public bool TryGetStartingOffset(TopicPartition partition, out long offset) => _startingOffsets.TryGetValue(partition, out offset);

    public async ValueTask CommitAsync(IReadOnlyList<KeyValuePair<TopicPartition, long>> positions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(positions);
        if (positions.Count == 0 || GenerationId < 0)
        {
            return;
        }
        KafkaConnection coordinator = await _admin.GetGroupCoordinatorAsync(_options.GroupId, cancellationToken);
        OffsetCommitRequest request = KafkaAdminClient.BuildCommit(_options.GroupId, positions, GenerationId, MemberId, _options.GroupInstanceId);
        OffsetCommitResponse response = await coordinator.SendAsync<OffsetCommitResponse>(request, cancellationToken);
        foreach (OffsetCommitResponse.OffsetCommitResponseTopic topic in response.Topics)
        {
            foreach (OffsetCommitResponse.OffsetCommitResponsePartition partition in topic.Partitions)
            {
                var error = (ErrorCode)partition.ErrorCode;
                if (NeedsRejoin(error))
                {
                    MarkRejoin(error);
                    throw new KafkaException(error, $"commit of {topic.Name}-{partition.PartitionIndex} was refused: the group is rebalancing");
                }
                KafkaAdminClient.ThrowOnError(error, $"commit of {topic.Name}-{partition.PartitionIndex}: {error.Message()}");
            }
        }
    }

    private async Task TryCommitAsync(IReadOnlyList<KeyValuePair<TopicPartition, long>> positions, CancellationToken cancellationToken)
    {
        try
        {
            await CommitAsync(positions, cancellationToken);
        }
        catch (KafkaException)
        {
            // The generation is already gone: another member may re-read these records (at-least-once).
        }
    }

    private async Task JoinAsync(CancellationToken cancellationToken)
    {
        _joining = true;
        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (_membershipLost)
                {
                    // The generation is gone, so the partitions may already be someone else's: start from
                    // none, without a commit the coordinator would refuse anyway (Kafka's "lost" partitions).
                    _membershipLost = false;
                    await RevokeAsync(_assignment, cancellationToken, commitPositions: false);
                }
                if (await TryJoinOnceAsync(cancellationToken))
                {
                    _rejoinNeeded = false;
                    _heartbeats ??= Task.Run(HeartbeatLoopAsync);
                    return;
                }
            }
        }
        finally
        {
            _joining = false;
        }
    }

    private async Task<bool> TryJoinOnceAsync(CancellationToken cancellationToken)
    {
        KafkaConnection coordinator;
        try
        {
            coordinator = await _admin.GetGroupCoordinatorAsync(_options.GroupId, cancellationToken);
        }
        catch (KafkaException e) when (e.IsRetriable)
        {
            await BackOffAsync(cancellationToken);
            return false;
        }
        byte[] subscription = ConsumerProtocolCodec.WriteSubscription(_options.Topics, _assignment);
        var join = new JoinGroupRequest
        {
            GroupId = _options.GroupId,
            SessionTimeoutMs = (int)_options.SessionTimeout.TotalMilliseconds,
            RebalanceTimeoutMs = (int)_options.RebalanceTimeout.TotalMilliseconds,
            MemberId = MemberId,
            GroupInstanceId = _options.GroupInstanceId,
            ProtocolType = "consumer",
        };
        foreach (IPartitionAssignor assignor in _options.Assignors)
        {
            join.Protocols.Add(new JoinGroupRequest.JoinGroupRequestProtocol { Name = assignor.Name, Metadata = subscription });
        }
        JoinGroupResponse joined = await coordinator.SendAsync<JoinGroupResponse>(join, cancellationToken);
        var error = (ErrorCode)joined.ErrorCode;
        switch (error)
        {
            case ErrorCode.None:
                break;
            case ErrorCode.MemberIdRequired:
                MemberId = joined.MemberId;
                return false;
            case ErrorCode.UnknownMemberId or ErrorCode.IllegalGeneration:
                MemberId = "";
                _membershipLost = true;
                return false;
            case ErrorCode.RebalanceInProgress:
                return false;
            default:
                if (error.IsRetriable())
                {
                    _cluster.InvalidateMetadata();
                    await BackOffAsync(cancellationToken);
                    return false;
                }
                throw new KafkaException(error, $"joining group '{_options.GroupId}': {error.Message()}");
        }
        MemberId = joined.MemberId;
        GenerationId = joined.GenerationId;
        Protocol = joined.ProtocolName;
        IsLeader = joined.Leader == joined.MemberId;
        var sync = new SyncGroupRequest
        {
            GroupId = _options.GroupId,
            GenerationId = GenerationId,
            MemberId = MemberId,
            GroupInstanceId = _options.GroupInstanceId,
            ProtocolType = "consumer",
            ProtocolName = Protocol,
        };
        if (IsLeader && !joined.SkipAssignment)
        {
            foreach ((string member, List<TopicPartition> partitions) in await AssignAsync(joined, cancellationToken))
            {
                sync.Assignments.Add(new SyncGroupRequest.SyncGroupRequestAssignment { MemberId = member, Assignment = ConsumerProtocolCodec.WriteAssignment(partitions) });
            }
        }
        SyncGroupResponse synced = await coordinator.SendAsync<SyncGroupResponse>(sync, cancellationToken);
        var syncError = (ErrorCode)synced.ErrorCode;
        if (syncError is ErrorCode.UnknownMemberId or ErrorCode.IllegalGeneration)
        {
            MemberId = "";
            _membershipLost = true;
            return false;
        }
        if (syncError == ErrorCode.RebalanceInProgress)
        {
            return false;
        }
        KafkaAdminClient.ThrowOnError(syncError, $"syncing group '{_options.GroupId}': {syncError.Message()}");
        IReadOnlyList<TopicPartition> assignment = ConsumerProtocolCodec.ReadAssignment(synced.Assignment);
        TopicPartition[] added = [.. assignment.Except(_assignment)];
        TopicPartition[] revoked = [.. _assignment.Except(assignment)];
        // Positions of partitions going to another member are committed before that member can fetch them.
        await RevokeAsync(revoked, cancellationToken);
        _startingOffsets.Clear();
        if (added.Length > 0)
        {
            foreach ((TopicPartition partition, CommittedOffset committed) in await _admin.FetchCommittedOffsetsAsync(_options.GroupId, added, cancellationToken))
            {
                if (committed.Offset >= 0)
                {
                    _startingOffsets[partition] = committed.Offset;
                }
            }
        }
        _assignment = assignment;
        if (added.Length > 0)
        {
            PartitionsAssigned?.Invoke(added);
        }
        if (revoked.Length > 0 && IsCooperative)
        {
            // KIP-429: the revoked partitions' new owners get them in the next round, so join it now.
            return false;
        }
        return true;
    }

    private async Task<IReadOnlyDictionary<string, List<TopicPartition>>> AssignAsync(JoinGroupResponse joined, CancellationToken cancellationToken)
    {
        IPartitionAssignor assignor = _options.Assignors.FirstOrDefault(a => a.Name == joined.ProtocolName)
            ?? throw new KafkaException(ErrorCode.InconsistentGroupProtocol, $"the group chose assignor '{joined.ProtocolName}', which this member does not have");
        var subscriptions = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var owned = new Dictionary<string, IReadOnlyList<TopicPartition>>(StringComparer.Ordinal);
        foreach (JoinGroupResponse.JoinGroupResponseMember member in joined.Members)
        {
            subscriptions[member.MemberId] = ConsumerProtocolCodec.ReadSubscriptionTopics(member.Metadata);
            owned[member.MemberId] = ConsumerProtocolCodec.ReadOwnedPartitions(member.Metadata);
        }
        string[] topics = [.. subscriptions.Values.SelectMany(t => t).Distinct(StringComparer.Ordinal)];
        ClusterMetadata metadata = await _cluster.RefreshMetadataAsync(topics, cancellationToken);
        var partitionCounts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (string topic in topics)
        {
            if (metadata.Topics.TryGetValue(topic, out TopicMetadata? found) && found.Error == ErrorCode.None)
            {
                partitionCounts[topic] = found.PartitionCount;
            }
        }
        return assignor is ICooperativeAssignor cooperative
            ? cooperative.Assign(subscriptions, owned, partitionCounts)
            : assignor.Assign(subscriptions, partitionCounts);
    }

    private async Task HeartbeatLoopAsync()
    {
        CancellationToken stop = _stop.Token;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_options.HeartbeatInterval, _time, stop);
                if (_joining || _rejoinNeeded)
                {
                    continue;
                }
                KafkaConnection coordinator = await _admin.GetGroupCoordinatorAsync(_options.GroupId, stop);
                var request = new HeartbeatRequest { GroupId = _options.GroupId, GenerationId = GenerationId, MemberId = MemberId, GroupInstanceId = _options.GroupInstanceId };
                HeartbeatResponse response = await coordinator.SendAsync<HeartbeatResponse>(request, stop);
                if (NeedsRejoin((ErrorCode)response.ErrorCode))
                {
                    MarkRejoin((ErrorCode)response.ErrorCode);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (KafkaException)
            {
                _cluster.InvalidateMetadata(); // the coordinator moved or is down: look it up again next beat
            }
        }
    }

    private void MarkRejoin(ErrorCode error)
    {
        if (error != ErrorCode.RebalanceInProgress)
        {
            _membershipLost = true;
        }
        _rejoinNeeded = true;
    }

    private static bool NeedsRejoin(ErrorCode error) =>
        error is ErrorCode.RebalanceInProgress or ErrorCode.IllegalGeneration or ErrorCode.UnknownMemberId or ErrorCode.FencedInstanceId;

    private Task BackOffAsync(CancellationToken cancellationToken) => Task.Delay(_cluster.Options.RetryBackoff, _time, cancellationToken);

    /// <summary>
    /// Gives up the partitions (<see cref="PartitionsRevoked"/>; commit what was processed before)
    /// and leaves the group, so it rebalances now rather than after the session timeout; then closes
    /// the connections. Stop polling first.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_heartbeats is not null)
        {
            await _heartbeats;
        }
        if (GenerationId >= 0 && _options.GroupInstanceId is null)
        {
            try
            {
                using var deadline = new CancellationTokenSource(_cluster.Options.RequestTimeout);
                // No commit here: the owner commits what it has processed (CommitAsync) before disposing.
                if (_assignment.Count > 0)
                {
                    PartitionsRevoked?.Invoke(_assignment);
                    _assignment = [];
                }
                KafkaConnection coordinator = await _admin.GetGroupCoordinatorAsync(_options.GroupId, deadline.Token);
                var leave = new LeaveGroupRequest { GroupId = _options.GroupId };
                if (coordinator.VersionFor(ApiKey.LeaveGroup) >= 3)
                {
                    leave.Members.Add(new LeaveGroupRequest.MemberIdentity { MemberId = MemberId });
                }
                else
                {
                    leave.MemberId = MemberId;
                }
                await coordinator.SendAsync<LeaveGroupResponse>(leave, deadline.Token);
            }
            catch (Exception e) when (e is KafkaException or OperationCanceledException)
            {
                // The session timeout removes the member instead.
            }
        }
        await _cluster.DisposeAsync();
        _stop.Dispose();
    }
}
