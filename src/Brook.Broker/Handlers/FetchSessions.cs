using Brook.Protocol.Errors;
using Brook.Protocol.Messages;
using Brook.Protocol.Primitives;

namespace Brook.Broker.Handlers;

/// <summary>One partition a fetch session follows, with what the client was last told about it.</summary>
internal sealed class SessionPartition(string topic, Uuid topicId, int partition)
{
    public string Topic { get; } = topic;

    public Uuid TopicId { get; } = topicId;

    public int Partition { get; } = partition;

    public long FetchOffset { get; set; }

    public int MaxBytes { get; set; }

    public long SentHighWatermark { get; set; } = -1;

    public long SentLogStartOffset { get; set; } = -1;
}

/// <summary>A KIP-227 incremental fetch session: the partitions it follows and the epoch the next request must carry.</summary>
internal sealed class FetchSession(int id)
{
    private readonly Dictionary<(string Topic, Uuid TopicId, int Partition), SessionPartition> _byKey = [];

    public int Id { get; } = id;

    public int NextEpoch { get; set; } = 1;

    public long LastUsed { get; set; }

    /// <summary>In the order they were added, as Kafka keeps them.</summary>
    public List<SessionPartition> Partitions { get; } = [];

    public void Update(string topic, Uuid topicId, FetchRequest.FetchPartition wanted)
    {
        var key = (topic, topicId, wanted.Partition);
        if (!_byKey.TryGetValue(key, out SessionPartition? partition))
        {
            partition = new SessionPartition(topic, topicId, wanted.Partition);
            _byKey[key] = partition;
            Partitions.Add(partition);
        }
        partition.FetchOffset = wanted.FetchOffset;
        partition.MaxBytes = wanted.PartitionMaxBytes;
    }

    public void Forget(string topic, Uuid topicId, int partition)
    {
        if (_byKey.Remove((topic, topicId, partition), out SessionPartition? removed))
        {
            Partitions.Remove(removed);
        }
    }
}

/// <summary>
/// The broker's fetch sessions (KIP-227). Bounded: when full, the least recently used session is
/// evicted, and a client whose session is gone gets FETCH_SESSION_ID_NOT_FOUND and starts over
/// with a full fetch.
/// </summary>
internal sealed class FetchSessionCache(TimeProvider time, int maxSessions = 1000)
{
    private readonly Dictionary<int, FetchSession> _sessions = [];
    private readonly Lock _lock = new();

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _sessions.Count;
            }
        }
    }

    public FetchSession Create()
    {
        lock (_lock)
        {
            if (_sessions.Count >= maxSessions)
            {
                FetchSession oldest = _sessions.Values.MinBy(s => s.LastUsed)!;
                _sessions.Remove(oldest.Id);
            }
            int id;
            do
            {
                id = Random.Shared.Next(1, int.MaxValue);
            }
            while (_sessions.ContainsKey(id));
            var session = new FetchSession(id) { LastUsed = time.GetTimestamp() };
            _sessions[id] = session;
            return session;
        }
    }

    /// <summary>The session for an incremental request, or the error to answer with.</summary>
    public ErrorCode TryGet(int id, int epoch, out FetchSession? session)
    {
        lock (_lock)
        {
            if (!_sessions.TryGetValue(id, out session))
            {
                return ErrorCode.FetchSessionIdNotFound;
            }
            if (session.NextEpoch != epoch)
            {
                session = null;
                return ErrorCode.InvalidFetchSessionEpoch;
            }
            session.LastUsed = time.GetTimestamp();
            return ErrorCode.None;
        }
    }

    public void Remove(int id)
    {
        lock (_lock)
        {
            _sessions.Remove(id);
        }
    }
}
