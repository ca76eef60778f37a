namespace Brook.Client.Groups;

/// <summary>A client-side assignor the group leader runs: members' subscriptions in, each member's partitions out.</summary>
public interface IPartitionAssignor
{
    /// <summary>The protocol name sent in JoinGroup ("range", "roundrobin").</summary>
    string Name { get; }

    IReadOnlyDictionary<string, List<TopicPartition>> Assign(IReadOnlyDictionary<string, IReadOnlyList<string>> subscriptions,
        IReadOnlyDictionary<string, int> partitionCounts);
}

/// <summary>
/// Kafka's range assignor: per topic, the members subscribed to it (sorted by id) each take a
/// contiguous range; the first <c>partitions % members</c> members take one extra.
/// </summary>
public sealed class RangeAssignor : IPartitionAssignor
{
    public string Name => "range";

    public IReadOnlyDictionary<string, List<TopicPartition>> Assign(IReadOnlyDictionary<string, IReadOnlyList<string>> subscriptions,
        IReadOnlyDictionary<string, int> partitionCounts)
    {
        ArgumentNullException.ThrowIfNull(subscriptions);
        ArgumentNullException.ThrowIfNull(partitionCounts);
        Dictionary<string, List<TopicPartition>> result = AssignorSupport.EmptyResult(subscriptions);
        foreach ((string topic, int count) in partitionCounts.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            string[] members = AssignorSupport.SubscribersOf(subscriptions, topic);
            if (members.Length == 0)
            {
                continue;
            }
            int each = count / members.Length;
            int extra = count % members.Length;
            int next = 0;
            for (int m = 0; m < members.Length; m++)
            {
                int take = each + (m < extra ? 1 : 0);
                for (int i = 0; i < take; i++)
                {
                    result[members[m]].Add(new TopicPartition(topic, next++));
                }
            }
        }
        return result;
    }
}

/// <summary>Kafka's round-robin assignor: every partition of every topic in order, dealt to the sorted members subscribed to it.</summary>
public sealed class RoundRobinAssignor : IPartitionAssignor
{
    public string Name => "roundrobin";

    public IReadOnlyDictionary<string, List<TopicPartition>> Assign(IReadOnlyDictionary<string, IReadOnlyList<string>> subscriptions,
        IReadOnlyDictionary<string, int> partitionCounts)
    {
        ArgumentNullException.ThrowIfNull(subscriptions);
        ArgumentNullException.ThrowIfNull(partitionCounts);
        Dictionary<string, List<TopicPartition>> result = AssignorSupport.EmptyResult(subscriptions);
        string[] members = [.. subscriptions.Keys.Order(StringComparer.Ordinal)];
        int cursor = 0;
        foreach ((string topic, int count) in partitionCounts.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            for (int partition = 0; partition < count; partition++)
            {
                // The next member (cyclically) that subscribes to the topic.
                for (int tried = 0; tried < members.Length; tried++)
                {
                    string member = members[cursor++ % members.Length];
                    if (subscriptions[member].Contains(topic))
                    {
                        result[member].Add(new TopicPartition(topic, partition));
                        break;
                    }
                }
            }
        }
        return result;
    }
}

internal static class AssignorSupport
{
    public static Dictionary<string, List<TopicPartition>> EmptyResult(IReadOnlyDictionary<string, IReadOnlyList<string>> subscriptions)
    {
        var result = new Dictionary<string, List<TopicPartition>>(StringComparer.Ordinal);
        foreach (string member in subscriptions.Keys)
        {
            result[member] = [];
        }
        return result;
    }

    public static string[] SubscribersOf(IReadOnlyDictionary<string, IReadOnlyList<string>> subscriptions, string topic) =>
        [.. subscriptions.Where(s => s.Value.Contains(topic)).Select(s => s.Key).Order(StringComparer.Ordinal)];
}
