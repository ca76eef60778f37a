using Brook.Protocol.Primitives;

namespace Brook.Broker.Groups.Consumer;

/// <summary>
/// <c>range</c>: per topic, the members subscribed to it (by member id) get contiguous ranges of
/// its partitions, the first <c>partitions % members</c> one more; co-partitioned topics line up.
/// </summary>
internal sealed class RangeAssignor : IConsumerGroupAssignor
{
    public const string AssignorName = "range";

    public string Name => AssignorName;

    public Dictionary<string, TopicPartitionSet> Assign(IReadOnlyList<AssignorMember> members, IReadOnlyDictionary<string, SubscribedTopic> topics)
    {
        var builders = new Dictionary<string, TopicPartitionSet.Builder>(StringComparer.Ordinal);
        foreach (AssignorMember member in members)
        {
            builders[member.MemberId] = new TopicPartitionSet.Builder();
        }
        var subscribers = new List<AssignorMember>();
        foreach (SubscribedTopic topic in topics.Values)
        {
            subscribers.Clear();
            foreach (AssignorMember member in members)
            {
                if (Subscribes(member, topic.Name))
                {
                    subscribers.Add(member);
                }
            }
            if (subscribers.Count == 0)
            {
                continue;
            }
            int each = topic.Partitions / subscribers.Count;
            int extra = topic.Partitions % subscribers.Count;
            int next = 0;
            for (int i = 0; i < subscribers.Count; i++)
            {
                int count = each + (i < extra ? 1 : 0);
                TopicPartitionSet.Builder builder = builders[subscribers[i].MemberId];
                for (int p = 0; p < count; p++)
                {
                    builder.Add(topic.TopicId, next++);
                }
            }
        }
        var result = new Dictionary<string, TopicPartitionSet>(StringComparer.Ordinal);
        foreach ((string memberId, TopicPartitionSet.Builder builder) in builders)
        {
            result[memberId] = builder.Build();
        }
        return result;
    }

    internal static bool Subscribes(AssignorMember member, string topic)
    {
        foreach (string name in member.SubscribedTopics)
        {
            if (name == topic)
            {
                return true;
            }
        }
        return false;
    }

    internal static Uuid IdOf(IReadOnlyDictionary<string, SubscribedTopic> topics, string name) => topics[name].TopicId;
}
