using Brook.Broker.Cluster;
using Brook.Broker.Groups.Consumer;
using Brook.Broker.Partitions;
using Brook.Protocol.Errors;
using Brook.Protocol.Messages;
using Brook.Protocol.Primitives;

namespace Brook.Broker.Groups;

/// <summary>What the other group APIs see of KIP-848 groups: ConsumerGroupDescribe, commits and fetches by member epoch, listings, deletion, and classic joins.</summary>
public sealed partial class GroupCoordinator
{
    /// <summary>ConsumerGroupDescribe: a consumer group's epochs, assignor and members; GROUP_ID_NOT_FOUND for unknown or classic groups.</summary>
    public ConsumerGroupDescribeResponse.DescribedGroup DescribeConsumerGroup(string groupId)
    {
        lock (_lock)
        {
            if (!_consumerGroups.TryGetValue(groupId ?? "", out ConsumerGroup? group))
            {
                bool classic = _groups.TryGetValue(groupId ?? "", out ClassicGroup? other) && other.State != GroupState.Dead;
                return new ConsumerGroupDescribeResponse.DescribedGroup
                {
                    GroupId = groupId ?? "",
                    ErrorCode = (short)ErrorCode.GroupIdNotFound,
                    ErrorMessage = classic ? "Group " + groupId + " is not a consumer group." : "Group " + groupId + " not found.",
                    GroupState = "Dead",
                };
            }
            var described = new ConsumerGroupDescribeResponse.DescribedGroup
            {
                GroupId = group.GroupId,
                GroupState = ConsumerGroupStateNames.Of(group.State),
                GroupEpoch = group.GroupEpoch,
                AssignmentEpoch = group.AssignmentEpoch,
                AssignorName = PreferredAssignor(group),
            };
            foreach (ConsumerGroupMember member in group.SortedMembers())
            {
                described.Members.Add(new ConsumerGroupDescribeResponse.Member
                {
                    MemberId = member.MemberId,
                    InstanceId = member.InstanceId,
                    RackId = member.RackId,
                    MemberEpoch = member.MemberEpoch,
                    ClientId = member.ClientId,
                    ClientHost = member.ClientHost,
                    SubscribedTopicNames = [.. member.SubscribedTopicNames],
                    Assignment = DescribedAssignment(member.Assignment.Assigned),
                    TargetAssignment = DescribedAssignment(group.TargetOf(member.MemberId)),
                });
            }
            return described;
        }
    }

    private ConsumerGroupDescribeResponse.Assignment DescribedAssignment(TopicPartitionSet partitions)
    {
        var assignment = new ConsumerGroupDescribeResponse.Assignment();
        foreach ((Uuid topicId, SortedSet<int> set) in partitions.Topics)
        {
            string name = _broker.TryGetTopic(topicId, out TopicState? topic) ? topic.Name : "";
            assignment.TopicPartitions.Add(new ConsumerGroupDescribeResponse.TopicPartitions { TopicId = topicId, TopicName = name, Partitions = [.. set] });
        }
        return assignment;
    }

    /// <summary>The consumer group's state name and type for ListGroups, or null when <paramref name="groupId"/> is not a consumer group (caller holds the lock).</summary>
    private GroupListing? ConsumerListing(string groupId) =>
        _consumerGroups.TryGetValue(groupId, out ConsumerGroup? group)
            ? new GroupListing(groupId, "consumer", GroupState.Empty, ConsumerGroupType, ConsumerGroupStateNames.Of(group.State))
            : null;

    private const string ConsumerGroupType = "consumer";

    /// <summary>OffsetCommit from a KIP-848 group: the member epoch is the generation (STALE_MEMBER_EPOCH when it differs); epoch -1 commits only into an empty group (caller holds the lock).</summary>
    private static ErrorCode ValidateConsumerCommitter(ConsumerGroup group, OffsetCommitter committer)
    {
        if (committer.Generation < 0 && group.Members.Count == 0)
        {
            return ErrorCode.None;
        }
        if (!group.Members.TryGetValue(committer.MemberId, out ConsumerGroupMember? member))
        {
            return ErrorCode.UnknownMemberId;
        }
        return committer.Generation == member.MemberEpoch ? ErrorCode.None : ErrorCode.StaleMemberEpoch;
    }

    /// <summary>OffsetFetch v9: a member of a KIP-848 group must name its current epoch (UNKNOWN_MEMBER_ID, STALE_MEMBER_EPOCH); classic groups are not checked, as in Kafka.</summary>
    public ErrorCode ValidateOffsetFetch(string groupId, string? memberId, int memberEpoch)
    {
        lock (_lock)
        {
            if (!_consumerGroups.TryGetValue(groupId ?? "", out ConsumerGroup? group) || (memberId is null && memberEpoch < 0))
            {
                return ErrorCode.None;
            }
            if (memberId is null || !group.Members.TryGetValue(memberId, out ConsumerGroupMember? member))
            {
                return ErrorCode.UnknownMemberId;
            }
            return member.MemberEpoch == memberEpoch ? ErrorCode.None : ErrorCode.StaleMemberEpoch;
        }
    }

    /// <summary>
    /// A classic JoinGroup for a group id used by the consumer protocol: refused while the consumer
    /// group has members (INCONSISTENT_GROUP_PROTOCOL); an empty one turns back into a classic group
    /// (its records get tombstones in the background; its offsets stay). Caller holds the lock.
    /// </summary>
    private bool ConsumerGroupRefusesClassicJoin(string groupId)
    {
        if (!_consumerGroups.TryGetValue(groupId, out ConsumerGroup? group))
        {
            return false;
        }
        if (group.Members.Count > 0)
        {
            return true;
        }
        PartitionLeader? partition = ExistingOffsetsPartition(groupId);
        List<OffsetsRecord> records = ConsumerGroupTombstones(groupId);
        foreach (OffsetsRecord record in records)
        {
            ApplyConsumerRecord(record);
        }
        if (partition is not null)
        {
            AppendOutcome outcome = partition.Append(EncodeConsumerRecords(records));
            if (outcome.Error == ErrorCode.None)
            {
                _ = WaitQuietlyAsync(groupId, partition, outcome.EndOffset);
            }
        }
        return false;
    }

    /// <summary>The tombstones that delete an empty consumer group (Kafka's order: target epoch, subscription, group epoch).</summary>
    private static List<OffsetsRecord> ConsumerGroupTombstones(string groupId) =>
    [
        new ConsumerGroupTargetEpochRecord(groupId, null),
        new ConsumerGroupSubscriptionRecord(groupId, null),
        new ConsumerGroupEpochRecord(groupId, null),
    ];

    /// <summary>DeleteGroups of a consumer group: NON_EMPTY_GROUP while it has members; else its tombstones join the deletion's records (caller holds the lock).</summary>
    private ErrorCode AddConsumerGroupDeletion(string groupId, List<(byte[] Key, byte[]? Value)> records)
    {
        if (!_consumerGroups.TryGetValue(groupId, out ConsumerGroup? group))
        {
            return ErrorCode.None;
        }
        if (group.Members.Count > 0)
        {
            return ErrorCode.NonEmptyGroup;
        }
        foreach (OffsetsRecord record in ConsumerGroupTombstones(groupId))
        {
            records.Add(ConsumerGroupRecordCodec.Encode(record));
        }
        return ErrorCode.None;
    }

    /// <summary>After a committed deletion: forgets the consumer group (caller holds the lock).</summary>
    private void ForgetConsumerGroup(string groupId)
    {
        if (_consumerGroups.TryGetValue(groupId, out ConsumerGroup? group) && group.Members.Count == 0)
        {
            ApplyConsumerRecord(new ConsumerGroupEpochRecord(groupId, null));
        }
    }

    /// <summary>The topics a consumer group's members subscribe to (OffsetDelete answers GROUP_SUBSCRIBED_TO_TOPIC for them; caller holds the lock).</summary>
    private IEnumerable<string> ConsumerSubscribedTopics(string groupId) =>
        _consumerGroups.TryGetValue(groupId, out ConsumerGroup? group) ? group.SubscribedTopics.Keys : [];

    /// <summary>Whether the group id is a consumer group with members (its offsets do not expire; caller holds the lock).</summary>
    private bool IsActiveConsumerGroup(string groupId) => _consumerGroups.TryGetValue(groupId, out ConsumerGroup? group) && group.Members.Count > 0;

    /// <summary>Whether the group id belongs to a consumer group (caller holds the lock).</summary>
    private bool IsConsumerGroup(string groupId) => _consumerGroups.ContainsKey(groupId);
}
