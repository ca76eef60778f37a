using Brook.Protocol.Primitives;

namespace Brook.Broker.Groups.Consumer;

/// <summary>A subscribed topic as the group last saw it (ConsumerGroupPartitionMetadataValue).</summary>
internal sealed record SubscribedTopic(Uuid TopicId, string Name, int Partitions);

/// <summary>
/// A KIP-848 consumer group: group epoch (bumped when subscriptions or subscribed topics change),
/// target assignment and its epoch, members with their current assignments, and which member owns
/// each partition (assigned or still revoking), so a partition goes to a new owner only once freed.
/// Changed only by applying records (<see cref="GroupCoordinator"/>'s ApplyConsumerRecord); guarded by the coordinator's lock.
/// </summary>
internal sealed class ConsumerGroup
{
    public ConsumerGroup(string groupId) => GroupId = groupId;

    public string GroupId { get; }

    public int GroupEpoch { get; set; }

    public int AssignmentEpoch { get; set; }

    public Dictionary<string, ConsumerGroupMember> Members { get; } = new(StringComparer.Ordinal);

    /// <summary>group.instance.id → member id.</summary>
    public Dictionary<string, string> StaticMembers { get; } = new(StringComparer.Ordinal);

    /// <summary>The target assignment by member id.</summary>
    public Dictionary<string, TopicPartitionSet> TargetAssignment { get; } = new(StringComparer.Ordinal);

    /// <summary>Which member owns (or still revokes) each partition.</summary>
    public Dictionary<(Uuid TopicId, int Partition), string> PartitionOwners { get; } = [];

    /// <summary>The subscribed topics by name, as of the last group epoch bump.</summary>
    public SortedDictionary<string, SubscribedTopic> SubscribedTopics { get; set; } = new(StringComparer.Ordinal);

    public ConsumerGroupState State
    {
        get
        {
            if (Members.Count == 0)
            {
                return ConsumerGroupState.Empty;
            }
            if (GroupEpoch > AssignmentEpoch)
            {
                return ConsumerGroupState.Assigning;
            }
            foreach (ConsumerGroupMember member in Members.Values)
            {
                if (member.MemberEpoch != AssignmentEpoch || member.Assignment.State != ConsumerMemberState.Stable)
                {
                    return ConsumerGroupState.Reconciling;
                }
            }
            return ConsumerGroupState.Stable;
        }
    }

    public ConsumerGroupMember? StaticMember(string instanceId) =>
        StaticMembers.TryGetValue(instanceId, out string? memberId) ? Members.GetValueOrDefault(memberId) : null;

    public TopicPartitionSet TargetOf(string memberId) => TargetAssignment.GetValueOrDefault(memberId, TopicPartitionSet.Empty);

    /// <summary>Members in a stable order (by member id), for assignors and descriptions.</summary>
    public List<ConsumerGroupMember> SortedMembers()
    {
        var members = new List<ConsumerGroupMember>(Members.Values);
        members.Sort(static (a, b) => string.CompareOrdinal(a.MemberId, b.MemberId));
        return members;
    }

    /// <summary>Replaces the owner entries of one member: drops the old assignment's, adds the new one's.</summary>
    public void SetOwnership(string memberId, MemberAssignment? old, MemberAssignment? current)
    {
        if (old is not null)
        {
            foreach ((Uuid TopicId, int Partition) key in old.Assigned.All().Concat(old.PendingRevocation.All()))
            {
                if (PartitionOwners.TryGetValue(key, out string? owner) && owner == memberId)
                {
                    PartitionOwners.Remove(key);
                }
            }
        }
        if (current is not null)
        {
            foreach ((Uuid TopicId, int Partition) key in current.Assigned.All().Concat(current.PendingRevocation.All()))
            {
                PartitionOwners[key] = memberId;
            }
        }
    }

    /// <summary>Free for <paramref name="memberId"/>: nobody else owns or still revokes it.</summary>
    public bool IsFreeFor(Uuid topicId, int partition, string memberId) =>
        !PartitionOwners.TryGetValue((topicId, partition), out string? owner) || owner == memberId;
}
