using Brook.Protocol.Primitives;

namespace Brook.Broker.Groups.Consumer;

/// <summary>
/// <c>uniform</c> (the default): spreads all subscribed partitions so member counts differ by at
/// most one among members that could take them, and keeps each member's previous partitions where
/// that balance allows (sticky), so a rebalance moves as few partitions as it can.
/// </summary>
internal sealed class UniformAssignor : IConsumerGroupAssignor
{
    public const string AssignorName = "uniform";

    public string Name => AssignorName;

    public Dictionary<string, TopicPartitionSet> Assign(IReadOnlyList<AssignorMember> members, IReadOnlyDictionary<string, SubscribedTopic> topics)
    {
        var owned = new Dictionary<string, List<(Uuid TopicId, int Partition)>>(StringComparer.Ordinal);
        var eligible = new Dictionary<Uuid, List<AssignorMember>>();
        int total = 0;
        foreach (SubscribedTopic topic in topics.Values)
        {
            var subscribers = new List<AssignorMember>();
            foreach (AssignorMember member in members)
            {
                if (RangeAssignor.Subscribes(member, topic.Name))
                {
                    subscribers.Add(member);
                }
            }
            eligible[topic.TopicId] = subscribers;
            if (subscribers.Count > 0)
            {
                total += topic.Partitions;
            }
        }
        foreach (AssignorMember member in members)
        {
            owned[member.MemberId] = [];
        }
        int ceiling = members.Count == 0 ? 0 : (total + members.Count - 1) / members.Count;
        var taken = new HashSet<(Uuid, int)>();

        // Keep previous partitions that are still valid, up to the balanced ceiling.
        foreach (AssignorMember member in members)
        {
            List<(Uuid TopicId, int Partition)> mine = owned[member.MemberId];
            foreach ((Uuid topicId, int partition) in member.PreviousTarget.All())
            {
                if (mine.Count >= ceiling)
                {
                    break;
                }
                if (eligible.TryGetValue(topicId, out List<AssignorMember>? subscribers) && subscribers.Contains(member)
                    && partition < PartitionCount(topics, topicId) && taken.Add((topicId, partition)))
                {
                    mine.Add((topicId, partition));
                }
            }
        }

        // Give every free partition to the eligible member with the fewest.
        foreach (SubscribedTopic topic in topics.Values)
        {
            List<AssignorMember> subscribers = eligible[topic.TopicId];
            if (subscribers.Count == 0)
            {
                continue;
            }
            for (int partition = 0; partition < topic.Partitions; partition++)
            {
                if (taken.Contains((topic.TopicId, partition)))
                {
                    continue;
                }
                AssignorMember least = subscribers[0];
                foreach (AssignorMember candidate in subscribers)
                {
                    if (owned[candidate.MemberId].Count < owned[least.MemberId].Count)
                    {
                        least = candidate;
                    }
                }
                owned[least.MemberId].Add((topic.TopicId, partition));
                taken.Add((topic.TopicId, partition));
            }
        }

        Balance(owned, eligible);
        var result = new Dictionary<string, TopicPartitionSet>(StringComparer.Ordinal);
        foreach ((string memberId, List<(Uuid TopicId, int Partition)> partitions) in owned)
        {
            result[memberId] = TopicPartitionSet.From(partitions);
        }
        return result;
    }

    /// <summary>Moves partitions from the fullest member to an eligible one with at least two fewer, until none can move (stickiness left members uneven).</summary>
    private static void Balance(Dictionary<string, List<(Uuid TopicId, int Partition)>> owned, Dictionary<Uuid, List<AssignorMember>> eligible)
    {
        bool moved = true;
        while (moved)
        {
            moved = false;
            foreach ((string memberId, List<(Uuid TopicId, int Partition)> partitions) in owned)
            {
                for (int i = partitions.Count - 1; i >= 0 && !moved; i--)
                {
                    (Uuid topicId, int partition) = partitions[i];
                    foreach (AssignorMember candidate in eligible[topicId])
                    {
                        if (owned[candidate.MemberId].Count + 1 < partitions.Count)
                        {
                            partitions.RemoveAt(i);
                            owned[candidate.MemberId].Add((topicId, partition));
                            moved = true;
                            break;
                        }
                    }
                }
                if (moved)
                {
                    break;
                }
            }
        }
    }

    private static int PartitionCount(IReadOnlyDictionary<string, SubscribedTopic> topics, Uuid topicId)
    {
        foreach (SubscribedTopic topic in topics.Values)
        {
            if (topic.TopicId == topicId)
            {
                return topic.Partitions;
            }
        }
        return 0;
    }
}
