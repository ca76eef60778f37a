using Brook.Protocol.Primitives;

namespace Brook.Broker.Groups.Consumer;

/// <summary>
/// Partitions by topic id, as KIP-848 records and responses carry them. Immutable once built, so
/// member states can share them; equality is by content.
/// </summary>
internal sealed class TopicPartitionSet : IEquatable<TopicPartitionSet>
{
    public static readonly TopicPartitionSet Empty = new(new SortedDictionary<Uuid, SortedSet<int>>(UuidOrder.Instance));

    private readonly SortedDictionary<Uuid, SortedSet<int>> _topics;

    private TopicPartitionSet(SortedDictionary<Uuid, SortedSet<int>> topics)
    {
        _topics = topics;
        foreach (SortedSet<int> partitions in topics.Values)
        {
            Count += partitions.Count;
        }
    }

    public int Count { get; }

    public bool IsEmpty => Count == 0;

    public IEnumerable<KeyValuePair<Uuid, SortedSet<int>>> Topics => _topics;

    public bool Contains(Uuid topicId, int partition) => _topics.TryGetValue(topicId, out SortedSet<int>? set) && set.Contains(partition);

    public IReadOnlySet<int> PartitionsOf(Uuid topicId) => _topics.TryGetValue(topicId, out SortedSet<int>? set) ? set : EmptyPartitions;

    private static readonly SortedSet<int> EmptyPartitions = [];

    public IEnumerable<(Uuid TopicId, int Partition)> All()
    {
        foreach ((Uuid topicId, SortedSet<int> partitions) in _topics)
        {
            foreach (int partition in partitions)
            {
                yield return (topicId, partition);
            }
        }
    }

    /// <summary>Whether every partition of this set is in <paramref name="other"/>.</summary>
    public bool IsSubsetOf(TopicPartitionSet other)
    {
        foreach ((Uuid topicId, int partition) in All())
        {
            if (!other.Contains(topicId, partition))
            {
                return false;
            }
        }
        return true;
    }

    public bool Overlaps(TopicPartitionSet other)
    {
        foreach ((Uuid topicId, int partition) in All())
        {
            if (other.Contains(topicId, partition))
            {
                return true;
            }
        }
        return false;
    }

    public static TopicPartitionSet From(IEnumerable<(Uuid TopicId, int Partition)> partitions)
    {
        var builder = new Builder();
        foreach ((Uuid topicId, int partition) in partitions)
        {
            builder.Add(topicId, partition);
        }
        return builder.Build();
    }

    public bool Equals(TopicPartitionSet? other)
    {
        if (other is null || other.Count != Count || other._topics.Count != _topics.Count)
        {
            return false;
        }
        foreach ((Uuid topicId, SortedSet<int> partitions) in _topics)
        {
            if (!other._topics.TryGetValue(topicId, out SortedSet<int>? theirs) || !theirs.SetEquals(partitions))
            {
                return false;
            }
        }
        return true;
    }

    public override bool Equals(object? obj) => Equals(obj as TopicPartitionSet);

    public override int GetHashCode() => HashCode.Combine(Count, _topics.Count);

    public override string ToString() => string.Join(", ", All().Select(p => p.TopicId + "-" + p.Partition));

    /// <summary>Collects partitions, then freezes them into a set.</summary>
    public sealed class Builder
    {
        private readonly SortedDictionary<Uuid, SortedSet<int>> _topics = new(UuidOrder.Instance);

        public void Add(Uuid topicId, int partition)
        {
            if (!_topics.TryGetValue(topicId, out SortedSet<int>? set))
            {
                set = [];
                _topics[topicId] = set;
            }
            set.Add(partition);
        }

        public TopicPartitionSet Build() => _topics.Count == 0 ? Empty : new TopicPartitionSet(_topics);
    }
}

/// <summary>A stable order of topic ids, so records and responses list topics deterministically.</summary>
internal sealed class UuidOrder : IComparer<Uuid>
{
    public static readonly UuidOrder Instance = new();

    public int Compare(Uuid x, Uuid y)
    {
        int first = x.MostSignificantBits.CompareTo(y.MostSignificantBits);
        return first != 0 ? first : x.LeastSignificantBits.CompareTo(y.LeastSignificantBits);
    }
}
