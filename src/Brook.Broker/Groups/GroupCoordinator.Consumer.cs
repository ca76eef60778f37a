using Brook.Broker.Cluster;
using Brook.Broker.Groups.Consumer;
using Brook.Broker.Partitions;
using Brook.Protocol.Errors;
using Brook.Protocol.Messages;
using Brook.Protocol.Primitives;

namespace Brook.Broker.Groups;

/// <summary>
/// ConsumerGroupHeartbeat (KIP-848), modelled on Kafka's coordinator: a heartbeat yields records
/// (member subscription, group epoch, target assignment, the member's current assignment); each
/// record is applied to the in-memory group as it is produced (Kafka's uncommitted state) and
/// appended under the lock, so the log has them in the order they were applied; the response waits
/// until they are committed.
/// </summary>
public sealed partial class GroupCoordinator
{
    private const int LeaveEpoch = -1;
    private const int StaticLeaveEpoch = -2;

    private readonly Dictionary<string, ConsumerGroup> _consumerGroups = new(StringComparer.Ordinal);

    public async Task<ConsumerGroupHeartbeatResponse> ConsumerGroupHeartbeatAsync(ConsumerGroupHeartbeatRequest request, string clientId, string clientHost,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (InvalidHeartbeat(request) is { } invalid)
        {
            return invalid;
        }
        PartitionLeader? partition = await OffsetsPartitionAsync(request.GroupId, cancellationToken);
        if (partition is null)
        {
            return HeartbeatError(ErrorCode.CoordinatorNotAvailable, null);
        }
        var records = new List<OffsetsRecord>();
        ConsumerGroupHeartbeatResponse response;
        AppendOutcome? outcome = null;
        lock (_lock)
        {
            if (_disposed)
            {
                return HeartbeatError(ErrorCode.CoordinatorNotAvailable, null);
            }
            response = request.MemberEpoch < 0
                ? ConsumerLeave(request, records)
                : ConsumerHeartbeat(request, clientId, clientHost, records);
            if (records.Count > 0)
            {
                outcome = partition.Append(EncodeConsumerRecords(records));
            }
        }
        if (outcome is not { } appended)
        {
            return response;
        }
        ErrorCode error = appended.Error;
        if (error == ErrorCode.None)
        {
            error = await partition.WaitUntilCommittedAsync(appended.EndOffset, cancellationToken);
        }
        return error == ErrorCode.None ? response : HeartbeatError(CoordinatorError(error), "The group's records could not be written.");
    }

    /// <summary>Kafka's request checks (INVALID_REQUEST, UNSUPPORTED_ASSIGNOR) before the group is looked at.</summary>
    private ConsumerGroupHeartbeatResponse? InvalidHeartbeat(ConsumerGroupHeartbeatRequest request)
    {
        if (request.GroupId.Length == 0)
        {
            return HeartbeatError(ErrorCode.InvalidRequest, "GroupId can't be empty.");
        }
        if (request.InstanceId is { Length: 0 } || request.RackId is { Length: 0 })
        {
            return HeartbeatError(ErrorCode.InvalidRequest, "InstanceId and RackId can't be empty.");
        }
        if (request.MemberEpoch > 0 || request.MemberEpoch == LeaveEpoch)
        {
            if (request.MemberId.Length == 0)
            {
                return HeartbeatError(ErrorCode.InvalidRequest, "MemberId can't be empty.");
            }
        }
        else if (request.MemberEpoch == 0)
        {
            if (request.RebalanceTimeoutMs == -1)
            {
                return HeartbeatError(ErrorCode.InvalidRequest, "RebalanceTimeoutMs must be provided in first request.");
            }
            if (request.TopicPartitions is null || request.TopicPartitions.Count > 0)
            {
                return HeartbeatError(ErrorCode.InvalidRequest, "TopicPartitions must be empty when (re-)joining.");
            }
            if (request.SubscribedTopicNames is null || request.SubscribedTopicNames.Count == 0)
            {
                return HeartbeatError(ErrorCode.InvalidRequest, "SubscribedTopicNames must be set in first request.");
            }
        }
        else if (request.MemberEpoch == StaticLeaveEpoch)
        {
            if (request.MemberId.Length == 0 || request.InstanceId is null)
            {
                return HeartbeatError(ErrorCode.InvalidRequest, "MemberId and InstanceId must be set to leave as a static member.");
            }
        }
        else
        {
            return HeartbeatError(ErrorCode.InvalidRequest, "MemberEpoch is invalid.");
        }
        if (request.ServerAssignor is { } assignor && !Options.ConsumerAssignors.Contains(assignor))
        {
            return HeartbeatError(ErrorCode.UnsupportedAssignor,
                "ServerAssignor " + assignor + " is not supported. Supported assignors: " + string.Join(", ", Options.ConsumerAssignors) + ".");
        }
        return null;
    }

    private ConsumerGroupHeartbeatResponse ConsumerHeartbeat(ConsumerGroupHeartbeatRequest request, string clientId, string clientHost, List<OffsetsRecord> records)
    {
        string groupId = request.GroupId;
        bool joining = request.MemberEpoch == 0;
        if (!_consumerGroups.TryGetValue(groupId, out ConsumerGroup? group))
        {
            if (!joining)
            {
                return HeartbeatError(ErrorCode.GroupIdNotFound, "Consumer group " + groupId + " not found.");
            }
            if (_groups.TryGetValue(groupId, out ClassicGroup? classic) && classic.State != GroupState.Empty)
            {
                return HeartbeatError(ErrorCode.GroupIdNotFound, "Group " + groupId + " is not a consumer group.");
            }
            group = ConsumerGroupFor(groupId);
        }
        string memberId = request.MemberId.Length > 0 ? request.MemberId : Uuid.NewRandom().ToString();
        TopicPartitionSet? owned = request.TopicPartitions is null ? null : TopicPartitionSet.From(Owned(request.TopicPartitions));
        ErrorCode error = ResolveMember(group, request, memberId, owned, records, out ConsumerGroupMember member, out bool isNew);
        if (error != ErrorCode.None)
        {
            return HeartbeatError(error, MemberErrorMessage(error, groupId, memberId, request.InstanceId));
        }
        TopicPartitionSet assignedBefore = member.Assignment.Assigned;

        // 1. The member's subscription; a new or changed subscription, or changed topics, bump the group epoch.
        var subscription = new MemberSubscription(request.InstanceId ?? member.InstanceId, request.RackId ?? member.RackId, clientId, clientHost,
            request.SubscribedTopicNames ?? member.SubscribedTopicNames, request.RebalanceTimeoutMs != -1 ? request.RebalanceTimeoutMs : member.RebalanceTimeoutMs,
            request.ServerAssignor ?? member.ServerAssignor);
        bool bump = false;
        if (isNew || !SameSubscription(member, subscription))
        {
            bump = isNew || !member.SubscribedTopicNames.SequenceEqual(subscription.SubscribedTopicNames);
            Emit(records, new ConsumerGroupMemberRecord(groupId, memberId, subscription));
        }
        member = group.Members[memberId];
        bump |= RefreshSubscribedTopics(group, records);
        if (bump)
        {
            Emit(records, new ConsumerGroupEpochRecord(groupId, group.GroupEpoch + 1));
        }

        // 2. A new target assignment when the group epoch moved past it.
        if (group.GroupEpoch > group.AssignmentEpoch)
        {
            ComputeTargetAssignment(group, records);
        }

        // 3. One reconciliation step toward the target.
        Reconcile(group, member, owned, records);
        ScheduleConsumerSession(group, member);

        var response = new ConsumerGroupHeartbeatResponse
        {
            MemberId = memberId,
            MemberEpoch = member.MemberEpoch,
            HeartbeatIntervalMs = Options.ConsumerHeartbeatIntervalMs,
        };
        bool fullRequest = joining || (request.RebalanceTimeoutMs != -1 && request.SubscribedTopicNames is not null && request.TopicPartitions is not null);
        if (fullRequest || !assignedBefore.Equals(member.Assignment.Assigned))
        {
            response.Assignment = ResponseAssignment(member.Assignment.Assigned);
        }
        return response;
    }

    /// <summary>Finds or creates the member the heartbeat is from, checking its epoch and instance id as Kafka does.</summary>
    private ErrorCode ResolveMember(ConsumerGroup group, ConsumerGroupHeartbeatRequest request, string memberId, TopicPartitionSet? owned,
        List<OffsetsRecord> records, out ConsumerGroupMember member, out bool isNew)
    {
        bool joining = request.MemberEpoch == 0;
        isNew = false;
        member = null!;
        if (request.InstanceId is not { } instanceId)
        {
            if (group.Members.TryGetValue(memberId, out ConsumerGroupMember? existing))
            {
                member = existing;
                return CheckMemberEpoch(existing, request.MemberEpoch, owned);
            }
            if (!joining)
            {
                return ErrorCode.UnknownMemberId;
            }
            return NewMember(group, memberId, out member, out isNew);
        }
        ConsumerGroupMember? current = group.StaticMember(instanceId);
        if (!joining)
        {
            if (current is null)
            {
                return ErrorCode.UnknownMemberId;
            }
            if (current.MemberId != memberId)
            {
                return ErrorCode.FencedInstanceId;
            }
            member = current;
            return CheckMemberEpoch(current, request.MemberEpoch, owned);
        }
        if (current is null)
        {
            if (group.Members.TryGetValue(memberId, out ConsumerGroupMember? existing))
            {
                member = existing;
                return CheckMemberEpoch(existing, request.MemberEpoch, owned);
            }
            return NewMember(group, memberId, out member, out isNew);
        }
        if (current.MemberEpoch != StaticLeaveEpoch)
        {
            return ErrorCode.UnreleasedInstanceId;
        }
        member = ReplaceStaticMember(group, current, memberId, records);
        return ErrorCode.None;
    }

    private ErrorCode NewMember(ConsumerGroup group, string memberId, out ConsumerGroupMember member, out bool isNew)
    {
        member = new ConsumerGroupMember(memberId);
        isNew = true;
        return group.Members.Count >= Options.MaxGroupSize ? ErrorCode.GroupMaxSizeReached : ErrorCode.None;
    }

    /// <summary>Kafka's epoch check: a newer epoch than known is fenced; an older one only when it is the previous epoch and the member owns no more than it is assigned (the response was lost).</summary>
    private static ErrorCode CheckMemberEpoch(ConsumerGroupMember member, int received, TopicPartitionSet? owned)
    {
        if (received > member.MemberEpoch)
        {
            return ErrorCode.FencedMemberEpoch;
        }
        if (received < member.MemberEpoch
            && (received != member.Assignment.PreviousMemberEpoch || owned is null || !owned.IsSubsetOf(member.Assignment.Assigned)))
        {
            return ErrorCode.FencedMemberEpoch;
        }
        return ErrorCode.None;
    }

    /// <summary>A static member rejoining after leaving with epoch -2: a new member id takes over the old one's subscription, target and partitions, at epoch 0.</summary>
    private ConsumerGroupMember ReplaceStaticMember(ConsumerGroup group, ConsumerGroupMember old, string memberId, List<OffsetsRecord> records)
    {
        string groupId = group.GroupId;
        TopicPartitionSet target = group.TargetOf(old.MemberId);
        MemberAssignment assignment = old.Assignment with { MemberEpoch = 0, PreviousMemberEpoch = 0, PendingRevocation = TopicPartitionSet.Empty };
        var subscription = new MemberSubscription(old.InstanceId, old.RackId, old.ClientId, old.ClientHost, old.SubscribedTopicNames, old.RebalanceTimeoutMs, old.ServerAssignor);
        RemoveMemberRecords(group, old, records);
        Emit(records, new ConsumerGroupMemberRecord(groupId, memberId, subscription));
        Emit(records, new ConsumerGroupTargetMemberRecord(groupId, memberId, target));
        Emit(records, new ConsumerGroupCurrentAssignmentRecord(groupId, memberId, assignment));
        return group.Members[memberId];
    }

    private static bool SameSubscription(ConsumerGroupMember member, MemberSubscription subscription) =>
        member.InstanceId == subscription.InstanceId && member.RackId == subscription.RackId && member.ClientId == subscription.ClientId
        && member.ClientHost == subscription.ClientHost && member.RebalanceTimeoutMs == subscription.RebalanceTimeoutMs
        && member.ServerAssignor == subscription.ServerAssignor && member.SubscribedTopicNames.SequenceEqual(subscription.SubscribedTopicNames);

    /// <summary>Recomputes the subscribed topics (ids and partition counts) from the members' subscriptions; writes them and returns true when they changed.</summary>
    private bool RefreshSubscribedTopics(ConsumerGroup group, List<OffsetsRecord> records)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (ConsumerGroupMember member in group.Members.Values)
        {
            names.UnionWith(member.SubscribedTopicNames);
        }
        var topics = new List<SubscribedTopic>();
        foreach (string name in names)
        {
            if (_broker.TryGetTopic(name, out TopicState? topic))
            {
                topics.Add(new SubscribedTopic(topic.Id, name, topic.Partitions.Count));
            }
        }
        if (topics.Count == group.SubscribedTopics.Count && topics.TrueForAll(t => group.SubscribedTopics.TryGetValue(t.Name, out SubscribedTopic? known) && known == t))
        {
            return false;
        }
        Emit(records, new ConsumerGroupSubscriptionRecord(group.GroupId, topics));
        return true;
    }

    /// <summary>Runs the group's assignor and writes the members whose target changed, then the new target epoch.</summary>
    private void ComputeTargetAssignment(ConsumerGroup group, List<OffsetsRecord> records)
    {
        IConsumerGroupAssignor assignor = ConsumerGroupAssignors.Create(PreferredAssignor(group)) ?? new UniformAssignor();
        var members = new List<AssignorMember>(group.Members.Count);
        foreach (ConsumerGroupMember member in group.SortedMembers())
        {
            members.Add(new AssignorMember(member.MemberId, member.SubscribedTopicNames, group.TargetOf(member.MemberId)));
        }
        Dictionary<string, TopicPartitionSet> target = assignor.Assign(members, group.SubscribedTopics);
        foreach (AssignorMember member in members)
        {
            TopicPartitionSet next = target.GetValueOrDefault(member.MemberId, TopicPartitionSet.Empty);
            if (!next.Equals(member.PreviousTarget) || !group.TargetAssignment.ContainsKey(member.MemberId))
            {
                Emit(records, new ConsumerGroupTargetMemberRecord(group.GroupId, member.MemberId, next));
            }
        }
        Emit(records, new ConsumerGroupTargetEpochRecord(group.GroupId, group.GroupEpoch));
    }

    /// <summary>Kafka's choice: the assignor most members name, else the first configured.</summary>
    private string PreferredAssignor(ConsumerGroup group)
    {
        var votes = new Dictionary<string, int>(StringComparer.Ordinal);
        string? best = null;
        foreach (ConsumerGroupMember member in group.SortedMembers())
        {
            if (member.ServerAssignor is { } name)
            {
                int count = votes[name] = votes.GetValueOrDefault(name) + 1;
                if (best is null || count > votes[best])
                {
                    best = name;
                }
            }
        }
        return best ?? (Options.ConsumerAssignors.Count > 0 ? Options.ConsumerAssignors[0] : UniformAssignor.AssignorName);
    }

    private void Reconcile(ConsumerGroup group, ConsumerGroupMember member, TopicPartitionSet? owned, List<OffsetsRecord> records)
    {
        MemberAssignment current = member.Assignment;
        if (current.MemberEpoch == group.AssignmentEpoch && current.State == ConsumerMemberState.Stable)
        {
            return;
        }
        MemberAssignment next = AssignmentReconciler.Next(group, member, group.AssignmentEpoch, group.TargetOf(member.MemberId), owned);
        if (next.Equals(current))
        {
            return;
        }
        Emit(records, new ConsumerGroupCurrentAssignmentRecord(group.GroupId, member.MemberId, next));
        member.RebalanceTimer?.Dispose();
        member.RebalanceTimer = null;
        if (next.State == ConsumerMemberState.UnrevokedPartitions && member.RebalanceTimeoutMs > 0)
        {
            int epoch = next.MemberEpoch;
            member.RebalanceTimer = Timer(() => FenceIfStillRevoking(group.GroupId, member, epoch), TimeSpan.FromMilliseconds(member.RebalanceTimeoutMs));
        }
    }

    /// <summary>ConsumerGroupHeartbeat with epoch -1 (leave) or -2 (a static member leaves for now, keeping its partitions until its session ends).</summary>
    private ConsumerGroupHeartbeatResponse ConsumerLeave(ConsumerGroupHeartbeatRequest request, List<OffsetsRecord> records)
    {
        if (!_consumerGroups.TryGetValue(request.GroupId, out ConsumerGroup? group))
        {
            return HeartbeatError(ErrorCode.GroupIdNotFound, "Consumer group " + request.GroupId + " not found.");
        }
        ConsumerGroupMember? member;
        if (request.InstanceId is { } instanceId)
        {
            member = group.StaticMember(instanceId);
            if (member is null)
            {
                return HeartbeatError(ErrorCode.UnknownMemberId, MemberErrorMessage(ErrorCode.UnknownMemberId, group.GroupId, request.MemberId, instanceId));
            }
            if (member.MemberId != request.MemberId)
            {
                return HeartbeatError(ErrorCode.FencedInstanceId, MemberErrorMessage(ErrorCode.FencedInstanceId, group.GroupId, request.MemberId, instanceId));
            }
            if (request.MemberEpoch == StaticLeaveEpoch)
            {
                Emit(records, new ConsumerGroupCurrentAssignmentRecord(group.GroupId, member.MemberId,
                    member.Assignment with { MemberEpoch = StaticLeaveEpoch, PendingRevocation = TopicPartitionSet.Empty }));
                return new ConsumerGroupHeartbeatResponse { MemberId = member.MemberId, MemberEpoch = StaticLeaveEpoch };
            }
        }
        else if (!group.Members.TryGetValue(request.MemberId, out member))
        {
            return HeartbeatError(ErrorCode.UnknownMemberId, MemberErrorMessage(ErrorCode.UnknownMemberId, group.GroupId, request.MemberId, null));
        }
        FenceMember(group, member, records);
        return new ConsumerGroupHeartbeatResponse { MemberId = request.MemberId, MemberEpoch = LeaveEpoch };
    }

    /// <summary>Removes a member (leave, session or rebalance timeout) and bumps the group epoch so the others rebalance.</summary>
    private void FenceMember(ConsumerGroup group, ConsumerGroupMember member, List<OffsetsRecord> records)
    {
        RemoveMemberRecords(group, member, records);
        RefreshSubscribedTopics(group, records);
        Emit(records, new ConsumerGroupEpochRecord(group.GroupId, group.GroupEpoch + 1));
    }

    private void RemoveMemberRecords(ConsumerGroup group, ConsumerGroupMember member, List<OffsetsRecord> records)
    {
        Emit(records, new ConsumerGroupCurrentAssignmentRecord(group.GroupId, member.MemberId, null));
        Emit(records, new ConsumerGroupTargetMemberRecord(group.GroupId, member.MemberId, null));
        Emit(records, new ConsumerGroupMemberRecord(group.GroupId, member.MemberId, null));
    }

    private void ScheduleConsumerSession(ConsumerGroup group, ConsumerGroupMember member)
    {
        member.SessionTimer?.Dispose();
        string groupId = group.GroupId;
        member.SessionTimer = Timer(() => FenceExpired(groupId, member, revoking: false, 0), TimeSpan.FromMilliseconds(Options.ConsumerSessionTimeoutMs));
    }

    private void ScheduleConsumerSessions()
    {
        foreach (ConsumerGroup group in _consumerGroups.Values)
        {
            foreach (ConsumerGroupMember member in group.Members.Values)
            {
                ScheduleConsumerSession(group, member);
            }
        }
    }

    private void FenceIfStillRevoking(string groupId, ConsumerGroupMember member, int epoch) => FenceExpired(groupId, member, revoking: true, epoch);

    /// <summary>A timer fired: fences the member if it is still the same one (and, for the rebalance timeout, still revoking at that epoch); the records go out in the background.</summary>
    private void FenceExpired(string groupId, ConsumerGroupMember member, bool revoking, int epoch)
    {
        var records = new List<OffsetsRecord>();
        PartitionLeader? partition = ExistingOffsetsPartition(groupId);
        AppendOutcome outcome;
        lock (_lock)
        {
            if (_disposed || partition is null || !_consumerGroups.TryGetValue(groupId, out ConsumerGroup? group)
                || !group.Members.TryGetValue(member.MemberId, out ConsumerGroupMember? current) || !ReferenceEquals(current, member))
            {
                return;
            }
            if (revoking && (member.Assignment.State != ConsumerMemberState.UnrevokedPartitions || member.MemberEpoch != epoch))
            {
                return;
            }
            GroupLog.MemberExpired(_logger, groupId, member.MemberId);
            FenceMember(group, member, records);
            outcome = partition.Append(EncodeConsumerRecords(records));
        }
        if (outcome.Error == ErrorCode.None)
        {
            _ = WaitQuietlyAsync(groupId, partition, outcome.EndOffset);
        }
        else
        {
            GroupLog.StoreFailed(_logger, groupId, outcome.Error.ToString());
        }
    }

    private async Task WaitQuietlyAsync(string groupId, PartitionLeader partition, long endOffset)
    {
        try
        {
            ErrorCode error = await partition.WaitUntilCommittedAsync(endOffset, CancellationToken.None);
            if (error != ErrorCode.None)
            {
                GroupLog.StoreFailed(_logger, groupId, error.ToString());
            }
        }
        catch (ObjectDisposedException)
        {
            // Shutting down: the group is rebuilt from what was committed.
        }
    }

    private PartitionLeader? ExistingOffsetsPartition(string groupId) =>
        _broker.TryGetTopic(OffsetsTopic.Name, out TopicState? topic) ? topic.Partition(OffsetsTopic.PartitionFor(groupId, topic.Partitions.Count)) : null;

    /// <summary>Applies a record to the in-memory group and keeps it for the log.</summary>
    private void Emit(List<OffsetsRecord> records, OffsetsRecord record)
    {
        ApplyConsumerRecord(record);
        records.Add(record);
    }

    private byte[] EncodeConsumerRecords(List<OffsetsRecord> records)
    {
        var encoded = new List<(byte[] Key, byte[]? Value)>(records.Count);
        foreach (OffsetsRecord record in records)
        {
            encoded.Add(ConsumerGroupRecordCodec.Encode(record));
        }
        return EncodeBatch(encoded);
    }

    private static IEnumerable<(Uuid TopicId, int Partition)> Owned(List<ConsumerGroupHeartbeatRequest.TopicPartitionsData> topics)
    {
        foreach (ConsumerGroupHeartbeatRequest.TopicPartitionsData topic in topics)
        {
            foreach (int partition in topic.Partitions)
            {
                yield return (topic.TopicId, partition);
            }
        }
    }

    private static ConsumerGroupHeartbeatResponse.AssignmentData ResponseAssignment(TopicPartitionSet partitions)
    {
        var assignment = new ConsumerGroupHeartbeatResponse.AssignmentData();
        foreach ((Uuid topicId, SortedSet<int> set) in partitions.Topics)
        {
            assignment.TopicPartitions.Add(new ConsumerGroupHeartbeatResponse.TopicPartitions { TopicId = topicId, Partitions = [.. set] });
        }
        return assignment;
    }

    private static ConsumerGroupHeartbeatResponse HeartbeatError(ErrorCode error, string? message) =>
        new() { ErrorCode = (short)error, ErrorMessage = message };

    private static string MemberErrorMessage(ErrorCode error, string groupId, string memberId, string? instanceId) => error switch
    {
        ErrorCode.UnknownMemberId => "Member " + memberId + " is not a member of group " + groupId + ".",
        ErrorCode.FencedMemberEpoch => "The member " + memberId + " has a stale or unknown member epoch; it must abandon its partitions and rejoin.",
        ErrorCode.UnreleasedInstanceId => "Static member " + instanceId + " is still in use by another member of group " + groupId + ".",
        ErrorCode.FencedInstanceId => "Static member " + instanceId + " now belongs to another member id.",
        ErrorCode.GroupMaxSizeReached => "Group " + groupId + " is full.",
        _ => error.ToString(),
    };
}
