using Brook.Client.Connections;
using Brook.Client.Consuming;
using Brook.Protocol.Errors;
using Brook.Protocol.Messages;
using Brook.Protocol.Primitives;

namespace Brook.Client.Groups;

/// <summary>
/// Membership of a KIP-848 consumer group (ConsumerGroupHeartbeat): joins with epoch 0, heartbeats
/// at the interval the coordinator asks for, and reconciles each assignment it is sent — partitions
/// no longer assigned are revoked (after <see cref="ConsumerGroupHeartbeatOptions.PartitionsRevoked"/>)
/// and reported gone at once, so the coordinator can hand them on. Feeds a
/// <see cref="KafkaConsumer"/> through <see cref="IAssignmentSource"/>.
/// </summary>
public sealed class ConsumerGroupHeartbeatMembership : IAssignmentSource, IAsyncDisposable
{
    private readonly KafkaCluster _cluster;
    private readonly ConsumerGroupHeartbeatOptions _options;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stop = new();
    private Dictionary<Uuid, SortedSet<int>> _owned = [];
    private Dictionary<Uuid, string> _topicNames = [];
    private KafkaConnection? _coordinator;
    private Task? _loop;
    private string _memberId = "";
    private int _memberEpoch;
    private int _heartbeatIntervalMs = 3000;
    private Exception? _failure;

    public ConsumerGroupHeartbeatMembership(KafkaCluster cluster, ConsumerGroupHeartbeatOptions options)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(options);
        _cluster = cluster;
        _options = options;
        _time = cluster.Options.TimeProvider;
    }

    public string MemberId
    {
        get
        {
            lock (_lock)
            {
                return _memberId;
            }
        }
    }

    public int MemberEpoch
    {
        get
        {
            lock (_lock)
            {
                return _memberEpoch;
            }
        }
    }

    /// <summary>Why the member stopped (a fatal error from the coordinator), or null.</summary>
    public Exception? Failure => Volatile.Read(ref _failure);

    /// <summary>The partitions this member owns now.</summary>
    public IReadOnlyCollection<TopicPartition> Owned
    {
        get
        {
            lock (_lock)
            {
                return Named(_owned);
            }
        }
    }

    public ValueTask<IReadOnlyCollection<TopicPartition>> GetAssignmentAsync(CancellationToken cancellationToken) => ValueTask.FromResult(Owned);

    /// <summary>Starts heartbeating (joining first).</summary>
    public void Start()
    {
        lock (_lock)
        {
            _loop ??= Task.Run(() => RunAsync(_stop.Token));
        }
    }

    /// <summary>Leaves the group: epoch -1, or -2 for a static member (it keeps its partitions until its session ends or it returns).</summary>
    public async Task LeaveAsync(CancellationToken cancellationToken = default)
    {
        await StopLoopAsync();
        string memberId;
        int epoch;
        lock (_lock)
        {
            memberId = _memberId;
            epoch = _memberEpoch;
            _owned = [];
        }
        if (memberId.Length == 0 || epoch <= 0)
        {
            return;
        }
        try
        {
            KafkaConnection coordinator = await CoordinatorAsync(cancellationToken);
            await coordinator.SendAsync<ConsumerGroupHeartbeatResponse>(new ConsumerGroupHeartbeatRequest
            {
                GroupId = _options.GroupId,
                MemberId = memberId,
                MemberEpoch = _options.GroupInstanceId is null ? -1 : -2,
                InstanceId = _options.GroupInstanceId,
            }, cancellationToken);
        }
        catch (Exception e) when (e is KafkaException or IOException or OperationCanceledException)
        {
            // Leaving is best effort: the session timeout removes the member anyway.
        }
    }

    /// <summary>Stops heartbeating without leaving, as a crashed process would; the coordinator fences it after the session timeout.</summary>
    public Task AbandonAsync() => StopLoopAsync();

    private async Task StopLoopAsync()
    {
        Task? loop;
        lock (_lock)
        {
            loop = _loop;
        }
        await _stop.CancelAsync();
        if (loop is not null)
        {
            await loop.ConfigureAwait(false);
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                wait = await HeartbeatOnceAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is InvalidOperationException or NotSupportedException or UnsupportedApiException)
            {
                Volatile.Write(ref _failure, e);
                return;
            }
            catch (Exception e) when (e is IOException or KafkaException or TimeoutException or ObjectDisposedException)
            {
                // Connection trouble: find the coordinator again after a backoff.
                _coordinator = null;
                wait = _cluster.Options.RetryBackoff;
            }
            if (wait < TimeSpan.Zero)
            {
                return;
            }
            try
            {
                await Task.Delay(wait, _time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One heartbeat and what it says; returns how long to wait before the next (negative: stop).</summary>
    private async Task<TimeSpan> HeartbeatOnceAsync(CancellationToken cancellationToken)
    {
        KafkaConnection coordinator = await CoordinatorAsync(cancellationToken);
        ConsumerGroupHeartbeatRequest request = NextRequest();
        ConsumerGroupHeartbeatResponse response = await coordinator.SendAsync<ConsumerGroupHeartbeatResponse>(request, cancellationToken);
        var error = (ErrorCode)response.ErrorCode;
        switch (error)
        {
            case ErrorCode.None:
                return await OnHeartbeatAsync(response, cancellationToken);
            case ErrorCode.FencedMemberEpoch or ErrorCode.UnknownMemberId:
                // Fenced: every partition is lost; rejoin at epoch 0.
                lock (_lock)
                {
                    _owned = [];
                    _memberEpoch = 0;
                }
                return TimeSpan.Zero;
            case ErrorCode.CoordinatorNotAvailable or ErrorCode.NotCoordinator or ErrorCode.CoordinatorLoadInProgress:
                _coordinator = null;
                return _cluster.Options.RetryBackoff;
            case ErrorCode.UnreleasedInstanceId:
                return _cluster.Options.RetryBackoff;
            default:
                Volatile.Write(ref _failure, new KafkaException(error, response.ErrorMessage));
                lock (_lock)
                {
                    _owned = [];
                }
                return TimeSpan.FromTicks(-1);
        }
    }

    private ConsumerGroupHeartbeatRequest NextRequest()
    {
        lock (_lock)
        {
            var request = new ConsumerGroupHeartbeatRequest
            {
                GroupId = _options.GroupId,
                MemberId = _memberId,
                MemberEpoch = _memberEpoch,
                TopicPartitions = [],
            };
            if (_memberEpoch == 0)
            {
                // A (re)join is a full request.
                request.InstanceId = _options.GroupInstanceId;
                request.RebalanceTimeoutMs = (int)_options.RebalanceTimeout.TotalMilliseconds;
                request.SubscribedTopicNames = [.. _options.Topics];
                request.ServerAssignor = _options.ServerAssignor;
                return request;
            }
            foreach ((Uuid topicId, SortedSet<int> partitions) in _owned)
            {
                request.TopicPartitions.Add(new ConsumerGroupHeartbeatRequest.TopicPartitionsData { TopicId = topicId, Partitions = [.. partitions] });
            }
            return request;
        }
    }

    /// <summary>Takes the epoch and, when sent, the new assignment: revokes what is gone, then adds what is new; an acknowledgement goes out at once.</summary>
    private async Task<TimeSpan> OnHeartbeatAsync(ConsumerGroupHeartbeatResponse response, CancellationToken cancellationToken)
    {
        Dictionary<Uuid, SortedSet<int>> current;
        lock (_lock)
        {
            _memberId = response.MemberId ?? _memberId;
            _memberEpoch = response.MemberEpoch;
            _heartbeatIntervalMs = Math.Max(1, response.HeartbeatIntervalMs);
            current = _owned;
        }
        TimeSpan interval = TimeSpan.FromMilliseconds(_heartbeatIntervalMs);
        if (response.Assignment is not { } assignment)
        {
            return interval;
        }
        var next = new Dictionary<Uuid, SortedSet<int>>();
        foreach (ConsumerGroupHeartbeatResponse.TopicPartitions topic in assignment.TopicPartitions)
        {
            next[topic.TopicId] = [.. topic.Partitions];
        }
        await ResolveTopicNamesAsync(next.Keys, cancellationToken);
        List<TopicPartition> revoked = Difference(current, next);
        List<TopicPartition> added = Difference(next, current);
        if (revoked.Count == 0 && added.Count == 0)
        {
            return interval;
        }
        if (revoked.Count > 0 && _options.PartitionsRevoked is { } onRevoked)
        {
            await onRevoked(revoked, cancellationToken);
        }
        lock (_lock)
        {
            _owned = next;
        }
        if (added.Count > 0 && _options.PartitionsAssigned is { } onAssigned)
        {
            await onAssigned(added, cancellationToken);
        }
        return TimeSpan.Zero;
    }

    private List<TopicPartition> Difference(Dictionary<Uuid, SortedSet<int>> from, Dictionary<Uuid, SortedSet<int>> without)
    {
        var result = new List<TopicPartition>();
        foreach ((Uuid topicId, SortedSet<int> partitions) in from)
        {
            without.TryGetValue(topicId, out SortedSet<int>? other);
            foreach (int partition in partitions)
            {
                if (other is null || !other.Contains(partition))
                {
                    result.Add(new TopicPartition(NameOf(topicId), partition));
                }
            }
        }
        return result;
    }

    private List<TopicPartition> Named(Dictionary<Uuid, SortedSet<int>> partitions)
    {
        var result = new List<TopicPartition>();
        foreach ((Uuid topicId, SortedSet<int> set) in partitions)
        {
            foreach (int partition in set)
            {
                result.Add(new TopicPartition(NameOf(topicId), partition));
            }
        }
        return result;
    }

    private string NameOf(Uuid topicId) => Volatile.Read(ref _topicNames).GetValueOrDefault(topicId, topicId.ToString());

    /// <summary>Assignments name topics by id; the subscribed topics' metadata gives their names.</summary>
    private async Task ResolveTopicNamesAsync(IEnumerable<Uuid> topicIds, CancellationToken cancellationToken)
    {
        Dictionary<Uuid, string> names = Volatile.Read(ref _topicNames);
        if (topicIds.All(names.ContainsKey))
        {
            return;
        }
        ClusterMetadata metadata = await _cluster.RefreshMetadataAsync(_options.Topics, cancellationToken);
        var refreshed = new Dictionary<Uuid, string>(names);
        foreach (TopicMetadata topic in metadata.Topics.Values)
        {
            refreshed[topic.TopicId] = topic.Name;
        }
        Volatile.Write(ref _topicNames, refreshed);
    }

    /// <summary>The group's coordinator (FindCoordinator, key type 0), remembered until it fails.</summary>
    private async Task<KafkaConnection> CoordinatorAsync(CancellationToken cancellationToken)
    {
        if (_coordinator is { IsClosed: false } known)
        {
            return known;
        }
        KafkaConnection any = await _cluster.GetAnyConnectionAsync(cancellationToken);
        // v4+ asks in a batch; older versions by one key.
        var find = new FindCoordinatorRequest { KeyType = 0 };
        if (any.VersionFor(ApiKey.FindCoordinator) >= 4)
        {
            find.CoordinatorKeys = [_options.GroupId];
        }
        else
        {
            find.Key = _options.GroupId;
        }
        FindCoordinatorResponse found = await any.SendAsync<FindCoordinatorResponse>(find, cancellationToken);
        (short error, int nodeId) = found.Coordinators.Count > 0 ? (found.Coordinators[0].ErrorCode, found.Coordinators[0].NodeId) : (found.ErrorCode, found.NodeId);
        if (error != 0)
        {
            throw new KafkaException((ErrorCode)error, "no coordinator for group " + _options.GroupId);
        }
        await _cluster.GetMetadataAsync(cancellationToken);
        KafkaConnection coordinator = await _cluster.GetConnectionAsync(nodeId, cancellationToken);
        _coordinator = coordinator;
        return coordinator;
    }

    public async ValueTask DisposeAsync()
    {
        await LeaveAsync();
        _stop.Dispose();
    }
}
