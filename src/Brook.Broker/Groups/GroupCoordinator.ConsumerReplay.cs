using Brook.Broker.Groups.Consumer;

namespace Brook.Broker.Groups;

/// <summary>Applies KIP-848 records to the consumer groups, both as a heartbeat produces them and when start-up replays <c>__consumer_offsets</c>.</summary>
public sealed partial class GroupCoordinator
{
    /// <summary>Applies one consumer-group record (caller holds the lock); other records are ignored.</summary>
    private void ApplyConsumerRecord(OffsetsRecord record)
    {
        switch (record)
        {
            case ConsumerGroupEpochRecord { Epoch: null } deleted:
                if (_consumerGroups.Remove(deleted.GroupId, out ConsumerGroup? gone))
                {
                    foreach (ConsumerGroupMember member in gone.Members.Values)
                    {
                        member.DisposeTimers();
                    }
                }
                break;
            case ConsumerGroupEpochRecord epoch:
                ConsumerGroupFor(epoch.GroupId).GroupEpoch = epoch.Epoch.Value;
                break;
            case ConsumerGroupSubscriptionRecord subscription:
                var topics = new SortedDictionary<string, SubscribedTopic>(StringComparer.Ordinal);
                foreach (SubscribedTopic topic in subscription.Topics ?? [])
                {
                    topics[topic.Name] = topic;
                }
                ConsumerGroupFor(subscription.GroupId).SubscribedTopics = topics;
                break;
            case ConsumerGroupMemberRecord member:
                ApplyMember(member);
                break;
            case ConsumerGroupTargetEpochRecord { Epoch: { } targetEpoch } target:
                ConsumerGroupFor(target.GroupId).AssignmentEpoch = targetEpoch;
                break;
            case ConsumerGroupTargetMemberRecord { Partitions: null } removed:
                if (_consumerGroups.TryGetValue(removed.GroupId, out ConsumerGroup? group))
                {
                    group.TargetAssignment.Remove(removed.MemberId);
                }
                break;
            case ConsumerGroupTargetMemberRecord target:
                ConsumerGroupFor(target.GroupId).TargetAssignment[target.MemberId] = target.Partitions!;
                break;
            case ConsumerGroupCurrentAssignmentRecord current:
                ApplyCurrentAssignment(current);
                break;
        }
    }

    private void ApplyMember(ConsumerGroupMemberRecord record)
    {
        ConsumerGroup group = ConsumerGroupFor(record.GroupId);
        if (record.Value is not { } value)
        {
            if (group.Members.Remove(record.MemberId, out ConsumerGroupMember? gone))
            {
                gone.DisposeTimers();
                group.SetOwnership(gone.MemberId, gone.Assignment, null);
                if (gone.InstanceId is { } instanceId && group.StaticMembers.TryGetValue(instanceId, out string? owner) && owner == gone.MemberId)
                {
                    group.StaticMembers.Remove(instanceId);
                }
                if (group.Members.Count == 0 && _groups.TryGetValue(group.GroupId, out ClassicGroup? shell))
                {
                    // Offsets of an empty group expire counting from when it became empty.
                    shell.StateTimestamp = NowMs;
                }
            }
            return;
        }
        if (!group.Members.TryGetValue(record.MemberId, out ConsumerGroupMember? member))
        {
            member = new ConsumerGroupMember(record.MemberId);
            group.Members[record.MemberId] = member;
        }
        member.InstanceId = value.InstanceId;
        member.RackId = value.RackId;
        member.ClientId = value.ClientId;
        member.ClientHost = value.ClientHost;
        member.SubscribedTopicNames = value.SubscribedTopicNames;
        member.RebalanceTimeoutMs = value.RebalanceTimeoutMs;
        member.ServerAssignor = value.ServerAssignor;
        if (value.InstanceId is { } id)
        {
            group.StaticMembers[id] = record.MemberId;
        }
    }

    private void ApplyCurrentAssignment(ConsumerGroupCurrentAssignmentRecord record)
    {
        if (record.Value is not { } value)
        {
            if (_consumerGroups.TryGetValue(record.GroupId, out ConsumerGroup? group) && group.Members.TryGetValue(record.MemberId, out ConsumerGroupMember? gone))
            {
                group.SetOwnership(gone.MemberId, gone.Assignment, null);
                gone.Assignment = MemberAssignment.Initial;
            }
            return;
        }
        ConsumerGroup owner = ConsumerGroupFor(record.GroupId);
        if (!owner.Members.TryGetValue(record.MemberId, out ConsumerGroupMember? member))
        {
            member = new ConsumerGroupMember(record.MemberId);
            owner.Members[record.MemberId] = member;
        }
        owner.SetOwnership(member.MemberId, member.Assignment, value);
        member.Assignment = value;
    }

    /// <summary>The consumer group, created (with an empty classic entry that keeps its committed offsets) if new.</summary>
    private ConsumerGroup ConsumerGroupFor(string groupId)
    {
        if (!_consumerGroups.TryGetValue(groupId, out ConsumerGroup? group))
        {
            group = new ConsumerGroup(groupId);
            _consumerGroups[groupId] = group;
        }
        if (!_groups.ContainsKey(groupId))
        {
            _groups[groupId] = new ClassicGroup(groupId, NowMs);
        }
        return group;
    }

    private void DisposeConsumerGroups()
    {
        foreach (ConsumerGroup group in _consumerGroups.Values)
        {
            foreach (ConsumerGroupMember member in group.Members.Values)
            {
                member.DisposeTimers();
            }
        }
    }
}
