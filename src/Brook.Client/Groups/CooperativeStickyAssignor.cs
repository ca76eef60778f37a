namespace Brook.Client.Groups;

/// <summary>
/// An assignor for incremental cooperative rebalancing (KIP-429): it also sees the partitions each
/// member owns now, and a partition it moves between two members is only taken from the old owner
/// this round, so that owner revokes it and rejoins and the next round hands it over.
/// </summary>
public interface ICooperativeAssignor : IPartitionAssignor
{
    IReadOnlyDictionary<string, List<TopicPartition>> Assign(IReadOnlyDictionary<string, IReadOnlyList<string>> subscriptions,
        IReadOnlyDictionary<string, IReadOnlyList<TopicPartition>> owned, IReadOnlyDictionary<string, int> partitionCounts);
}

/// <summary>
/// Kafka's <c>cooperative-sticky</c> assignor: members keep the partitions they own as long as the
/// assignment stays balanced (no eligible member holds two more than another), the fewest
/// partitions move, and moved partitions wait one round (the cooperative rule).
/// </summary>
public sealed class CooperativeStickyAssignor : ICooperativeAssignor
{
    public string Name => "cooperative-sticky";

    public IReadOnlyDictionary<string, List<TopicPartition>> Assign(IReadOnlyDictionary<string, IReadOnlyList<string>> subscriptions,
        IReadOnlyDictionary<string, int> partitionCounts) =>
        Assign(subscriptions, new Dictionary<string, IReadOnlyList<TopicPartition>>(), partitionCounts);

    public IReadOnlyDictionary<string, List<TopicPartition>> Assign(IReadOnlyDictionary<string, IReadOnlyList<string>> subscriptions,
        IReadOnlyDictionary<string, IReadOnlyList<TopicPartition>> owned, IReadOnlyDictionary<string, int> partitionCounts)
    {
        ArgumentNullException.ThrowIfNull(subscriptions);
        ArgumentNullException.ThrowIfNull(owned);
        ArgumentNullException.ThrowIfNull(partitionCounts);
        Dictionary<string, List<TopicPartition>> result = AssignorSupport.EmptyResult(subscriptions);
        string[] members = [.. subscriptions.Keys.Order(StringComparer.Ordinal)];
        var previousOwner = new Dictionary<TopicPartition, string>();
        var kept = new HashSet<TopicPartition>();

        // Keep what each member owns, if the partition still exists, the member still wants its
        // topic, and no other member claimed it first (a stale claim after a missed generation).
        foreach (string member in members)
        {
            if (!owned.TryGetValue(member, out IReadOnlyList<TopicPartition>? claims))
            {
                continue;
            }
            foreach (TopicPartition partition in claims)
            {
                // Claimed even when not kept: another member gets it only once this one has given it up.
                if (previousOwner.TryAdd(partition, member) && partitionCounts.TryGetValue(partition.Topic, out int count)
                    && partition.Partition < count && subscriptions[member].Contains(partition.Topic))
                {
                    result[member].Add(partition);
                    kept.Add(partition);
                }
            }
        }

        // Unowned partitions go to the eligible member holding the fewest.
        foreach ((string topic, int count) in partitionCounts.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            string[] subscribers = AssignorSupport.SubscribersOf(subscriptions, topic);
            for (int partition = 0; partition < count && subscribers.Length > 0; partition++)
            {
                var tp = new TopicPartition(topic, partition);
                if (!kept.Contains(tp))
                {
                    result[Fewest(subscribers, result)].Add(tp);
                }
            }
        }

        Balance(members, subscriptions, result);

        // The cooperative rule: a partition moving between two members is only revoked this round.
        foreach (string member in members)
        {
            result[member].RemoveAll(p => previousOwner.TryGetValue(p, out string? from) && from != member);
            result[member].Sort(ComparePartitions);
        }
        return result;
    }

    /// <summary>Moves one partition at a time from the fullest member to an emptier eligible one until no move narrows the gap.</summary>
    private static void Balance(string[] members, IReadOnlyDictionary<string, IReadOnlyList<string>> subscriptions, Dictionary<string, List<TopicPartition>> result)
    {
        bool moved = true;
        while (moved)
        {
            moved = false;
            foreach (string from in members.OrderByDescending(m => result[m].Count).ThenBy(m => m, StringComparer.Ordinal))
            {
                List<TopicPartition> held = result[from];
                // The newest partitions (highest numbered) move first, so low partitions stay put.
                for (int i = held.Count - 1; i >= 0 && !moved; i--)
                {
                    TopicPartition partition = held[i];
                    string? to = null;
                    foreach (string candidate in members)
                    {
                        if (subscriptions[candidate].Contains(partition.Topic) && result[candidate].Count < held.Count - 1
                            && (to is null || result[candidate].Count < result[to].Count))
                        {
                            to = candidate;
                        }
                    }
                    if (to is not null)
                    {
                        held.RemoveAt(i);
                        result[to].Add(partition);
                        moved = true;
                    }
                }
                if (moved)
                {
                    break;
                }
            }
        }
    }

    private static string Fewest(string[] candidates, Dictionary<string, List<TopicPartition>> result)
    {
        string best = candidates[0];
        foreach (string candidate in candidates)
        {
            if (result[candidate].Count < result[best].Count)
            {
                best = candidate;
            }
        }
        return best;
    }

    private static int ComparePartitions(TopicPartition a, TopicPartition b)
    {
        int byTopic = string.CompareOrdinal(a.Topic, b.Topic);
        return byTopic != 0 ? byTopic : a.Partition.CompareTo(b.Partition);
    }
}
