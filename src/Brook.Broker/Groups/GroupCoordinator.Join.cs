using Brook.Protocol.Errors;
using Brook.Protocol.Messages;

namespace Brook.Broker.Groups;

/// <summary>JoinGroup and the join phase of a rebalance (Kafka's handleJoinGroup, prepareRebalance, onCompleteJoin).</summary>
public sealed partial class GroupCoordinator
{
    public Task<JoinGroupResponse> JoinAsync(JoinRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.GroupId.Length == 0)
        {
            return Task.FromResult(GroupResponses.JoinError(ErrorCode.InvalidGroupId, request.MemberId, request.Version));
        }
        if (request.SessionTimeoutMs < Options.MinSessionTimeoutMs || request.SessionTimeoutMs > Options.MaxSessionTimeoutMs)
        {
            return Task.FromResult(GroupResponses.JoinError(ErrorCode.InvalidSessionTimeout, request.MemberId, request.Version));
        }
        if (request.ProtocolType.Length == 0 || request.Protocols.Count == 0)
        {
            return Task.FromResult(GroupResponses.JoinError(ErrorCode.InconsistentGroupProtocol, request.MemberId, request.Version));
        }
        lock (_lock)
        {
            if (_disposed)
            {
                return Task.FromResult(GroupResponses.JoinError(ErrorCode.CoordinatorNotAvailable, request.MemberId, request.Version));
            }
            if (ConsumerGroupRefusesClassicJoin(request.GroupId))
            {
                return Task.FromResult(GroupResponses.JoinError(ErrorCode.InconsistentGroupProtocol, request.MemberId, request.Version));
            }
            if (!_groups.TryGetValue(request.GroupId, out ClassicGroup? group))
            {
                if (request.MemberId.Length > 0)
                {
                    return Task.FromResult(GroupResponses.JoinError(ErrorCode.UnknownMemberId, request.MemberId, request.Version));
                }
                group = new ClassicGroup(request.GroupId, NowMs);
                _groups[request.GroupId] = group;
            }
            if (group.State == GroupState.Dead)
            {
                return Task.FromResult(GroupResponses.JoinError(ErrorCode.CoordinatorNotAvailable, request.MemberId, request.Version));
            }
            if (!group.SupportsProtocols(request.ProtocolType, request.Protocols))
            {
                return Task.FromResult(GroupResponses.JoinError(ErrorCode.InconsistentGroupProtocol, request.MemberId, request.Version));
            }
            return request.MemberId.Length == 0 ? JoinUnknownMember(group, request) : JoinKnownMember(group, request);
        }
    }

    private Task<JoinGroupResponse> JoinUnknownMember(ClassicGroup group, JoinRequest request)
    {
        string memberId = (request.GroupInstanceId ?? request.ClientId) + "-" + Guid.NewGuid().ToString();
        if (request.GroupInstanceId is { } instanceId)
        {
            if (group.StaticMembers.TryGetValue(instanceId, out string? oldMemberId) && group.Find(oldMemberId) is { } old)
            {
                return ReplaceStaticMember(group, old, memberId, request);
            }
            if (group.Members.Count >= Options.MaxGroupSize)
            {
                return Task.FromResult(GroupResponses.JoinError(ErrorCode.GroupMaxSizeReached, "", request.Version));
            }
            return AddMemberAndRebalance(group, memberId, request);
        }
        if (group.Members.Count + group.PendingMembers.Count >= Options.MaxGroupSize)
        {
            return Task.FromResult(GroupResponses.JoinError(ErrorCode.GroupMaxSizeReached, "", request.Version));
        }
        if (request.Version >= 4)
        {
            // KIP-394: hand out the id first; the member joins with it, so a client that times out does not leave a ghost member.
            string groupId = group.GroupId;
            group.PendingMembers[memberId] = Timer(() => ExpirePendingMember(groupId, memberId), TimeSpan.FromMilliseconds(request.SessionTimeoutMs));
            return Task.FromResult(GroupResponses.JoinError(ErrorCode.MemberIdRequired, memberId, request.Version));
        }
        return AddMemberAndRebalance(group, memberId, request);
    }

    private Task<JoinGroupResponse> JoinKnownMember(ClassicGroup group, JoinRequest request)
    {
        if (group.PendingMembers.Remove(request.MemberId, out ITimer? pendingTimer))
        {
            pendingTimer.Dispose();
            return AddMemberAndRebalance(group, request.MemberId, request);
        }
        if (group.IsStaticMemberFenced(request.GroupInstanceId, request.MemberId))
        {
            return Task.FromResult(GroupResponses.JoinError(ErrorCode.FencedInstanceId, request.MemberId, request.Version));
        }
        GroupMember? member = group.Find(request.MemberId);
        if (member is null)
        {
            return Task.FromResult(GroupResponses.JoinError(ErrorCode.UnknownMemberId, request.MemberId, request.Version));
        }
        switch (group.State)
        {
            case GroupState.PreparingRebalance:
                return UpdateMemberAndRebalance(group, member, request);
            case GroupState.CompletingRebalance:
                if (SameProtocols(member, request.Protocols))
                {
                    // A repeated join (the response was lost): answer with the current generation again.
                    return Task.FromResult(JoinResult(group, member, request.Version, includeMembers: member.MemberId == group.LeaderId));
                }
                return UpdateMemberAndRebalance(group, member, request);
            case GroupState.Stable:
                if (member.MemberId == group.LeaderId || !SameProtocols(member, request.Protocols))
                {
                    return UpdateMemberAndRebalance(group, member, request);
                }
                ScheduleSessionExpiry(group, member);
                return Task.FromResult(JoinResult(group, member, request.Version, includeMembers: false));
            default:
                return Task.FromResult(GroupResponses.JoinError(ErrorCode.UnknownMemberId, request.MemberId, request.Version));
        }
    }

    private Task<JoinGroupResponse> ReplaceStaticMember(ClassicGroup group, GroupMember old, string newMemberId, JoinRequest request)
    {
        string oldMemberId = old.MemberId;
        bool protocolsChanged = !SameProtocols(old, request.Protocols);
        // KIP-345: the old incarnation is fenced; whatever it still waits for ends with FENCED_INSTANCE_ID.
        old.JoinWaiter?.TrySetResult(GroupResponses.JoinError(ErrorCode.FencedInstanceId, oldMemberId, old.JoinVersion));
        old.JoinWaiter = null;
        old.SyncWaiter?.TrySetResult(GroupResponses.SyncError(ErrorCode.FencedInstanceId));
        old.SyncWaiter = null;
        old.MemberId = newMemberId;
        old.ClientId = request.ClientId;
        old.ClientHost = request.ClientHost;
        group.StaticMembers[request.GroupInstanceId!] = newMemberId;
        if (group.Synced.Remove(oldMemberId))
        {
            group.Synced.Add(newMemberId);
        }
        bool wasLeader = group.LeaderId == oldMemberId;
        if (wasLeader)
        {
            group.LeaderId = newMemberId;
        }
        if (group.State == GroupState.Stable && !protocolsChanged && (!wasLeader || request.Version >= 9))
        {
            old.SessionTimeoutMs = request.SessionTimeoutMs;
            old.RebalanceTimeoutMs = request.RebalanceTimeoutMs;
            ScheduleSessionExpiry(group, old);
            StoreGroupInBackground(group);
            JoinGroupResponse response = JoinResult(group, old, request.Version, includeMembers: wasLeader);
            // KIP-814: a static leader that rejoins keeps the current assignment; it must not compute a new one.
            response.SkipAssignment = wasLeader;
            return Task.FromResult(response);
        }
        return UpdateMemberAndRebalance(group, old, request);
    }

    private Task<JoinGroupResponse> AddMemberAndRebalance(ClassicGroup group, string memberId, JoinRequest request)
    {
        var member = new GroupMember(memberId, request.GroupInstanceId, request.ClientId, request.ClientHost) { IsNew = true };
        Update(member, request);
        if (group.Members.Count == 0)
        {
            group.ProtocolType = request.ProtocolType;
        }
        group.Members.Add(member);
        if (member.GroupInstanceId is not null)
        {
            group.StaticMembers[member.GroupInstanceId] = memberId;
        }
        group.LeaderId ??= memberId;
        if (group.State == GroupState.PreparingRebalance && group.InInitialDelay)
        {
            group.NewMemberAdded = true;
        }
        var waiter = NewJoinWaiter(member, request.Version);
        MaybePrepareRebalance(group);
        TryCompleteJoin(group);
        return waiter;
    }

    private Task<JoinGroupResponse> UpdateMemberAndRebalance(ClassicGroup group, GroupMember member, JoinRequest request)
    {
        member.JoinWaiter?.TrySetResult(GroupResponses.JoinError(ErrorCode.RebalanceInProgress, member.MemberId, member.JoinVersion));
        Update(member, request);
        var waiter = NewJoinWaiter(member, request.Version);
        MaybePrepareRebalance(group);
        TryCompleteJoin(group);
        return waiter;
    }

    private static void Update(GroupMember member, JoinRequest request)
    {
        member.SessionTimeoutMs = request.SessionTimeoutMs;
        // JoinGroup v0 has no rebalance timeout: Kafka uses the session timeout.
        member.RebalanceTimeoutMs = request.RebalanceTimeoutMs < 0 ? request.SessionTimeoutMs : request.RebalanceTimeoutMs;
        member.ProtocolType = request.ProtocolType;
        member.Protocols = request.Protocols;
        member.ClientId = request.ClientId;
        member.ClientHost = request.ClientHost;
    }

    private static Task<JoinGroupResponse> NewJoinWaiter(GroupMember member, short version)
    {
        var waiter = new TaskCompletionSource<JoinGroupResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        member.JoinWaiter = waiter;
        member.JoinVersion = version;
        // A member waiting in the join phase is kept alive until the phase ends.
        member.SessionTimer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        return waiter.Task;
    }

    private static bool SameProtocols(GroupMember member, List<(string Name, byte[] Metadata)> protocols)
    {
        if (member.Protocols.Count != protocols.Count)
        {
            return false;
        }
        for (int i = 0; i < protocols.Count; i++)
        {
            if (member.Protocols[i].Name != protocols[i].Name || !member.Protocols[i].Metadata.AsSpan().SequenceEqual(protocols[i].Metadata))
            {
                return false;
            }
        }
        return true;
    }

    private void MaybePrepareRebalance(ClassicGroup group)
    {
        if (group.State is GroupState.Stable or GroupState.CompletingRebalance or GroupState.Empty)
        {
            PrepareRebalance(group);
        }
    }

    private void PrepareRebalance(ClassicGroup group)
    {
        if (group.State == GroupState.CompletingRebalance)
        {
            // The assignment being synced is void: every member waiting for it must rejoin.
            foreach (GroupMember member in group.Members)
            {
                member.Assignment = [];
                member.SyncWaiter?.TrySetResult(GroupResponses.SyncError(ErrorCode.RebalanceInProgress));
                member.SyncWaiter = null;
            }
        }
        group.PhaseTimer?.Dispose();
        group.Synced.Clear();
        bool initial = group.State == GroupState.Empty && Options.InitialRebalanceDelay > TimeSpan.Zero;
        SetState(group, GroupState.PreparingRebalance);
        string groupId = group.GroupId;
        int generation = group.Generation;
        if (initial)
        {
            // group.initial.rebalance.delay.ms: wait for more members before the first generation, extending while they keep coming.
            group.InInitialDelay = true;
            group.NewMemberAdded = false;
            long delay = (long)Options.InitialRebalanceDelay.TotalMilliseconds;
            group.InitialDelayRemainingMs = Math.Max(group.MaxRebalanceTimeoutMs() - delay, 0);
            group.PhaseTimer = Timer(() => InitialDelayElapsed(groupId, generation), TimeSpan.FromMilliseconds(delay));
        }
        else
        {
            group.InInitialDelay = false;
            group.PhaseTimer = Timer(() => JoinPhaseTimedOut(groupId, generation), TimeSpan.FromMilliseconds(group.MaxRebalanceTimeoutMs()));
        }
    }

    private void InitialDelayElapsed(string groupId, int generation)
    {
        lock (_lock)
        {
            if (!_groups.TryGetValue(groupId, out ClassicGroup? group) || group.State != GroupState.PreparingRebalance || group.Generation != generation || !group.InInitialDelay)
            {
                return;
            }
            if (group.NewMemberAdded && group.InitialDelayRemainingMs > 0)
            {
                long delay = Math.Min((long)Options.InitialRebalanceDelay.TotalMilliseconds, group.InitialDelayRemainingMs);
                group.InitialDelayRemainingMs -= delay;
                group.NewMemberAdded = false;
                group.PhaseTimer?.Dispose();
                group.PhaseTimer = Timer(() => InitialDelayElapsed(groupId, generation), TimeSpan.FromMilliseconds(delay));
                return;
            }
            group.InInitialDelay = false;
            CompleteJoin(group);
        }
    }

    private void JoinPhaseTimedOut(string groupId, int generation)
    {
        lock (_lock)
        {
            if (_groups.TryGetValue(groupId, out ClassicGroup? group) && group.State == GroupState.PreparingRebalance && group.Generation == generation)
            {
                CompleteJoin(group);
            }
        }
    }

    private void TryCompleteJoin(ClassicGroup group)
    {
        if (group.State == GroupState.PreparingRebalance && !group.InInitialDelay && group.AllMembersJoined())
        {
            CompleteJoin(group);
        }
    }

    /// <summary>Ends the join phase: members that did not rejoin are dropped, the next generation starts, and every joined member is answered.</summary>
    private void CompleteJoin(ClassicGroup group)
    {
        group.PhaseTimer?.Dispose();
        group.PhaseTimer = null;
        for (int i = group.Members.Count - 1; i >= 0; i--)
        {
            GroupMember member = group.Members[i];
            if (member.JoinWaiter is null)
            {
                RemoveMember(group, member);
            }
        }
        group.Generation++;
        if (group.Members.Count == 0)
        {
            group.ProtocolName = null;
            group.ProtocolType = group.Offsets.Count > 0 ? group.ProtocolType : null;
            group.LeaderId = null;
            SetState(group, GroupState.Empty);
            StoreGroupInBackground(group);
            return;
        }
        group.ProtocolName = group.SelectProtocol();
        if (group.LeaderId is null || group.Find(group.LeaderId) is null)
        {
            group.LeaderId = group.Members[0].MemberId;
        }
        SetState(group, GroupState.CompletingRebalance);
        GroupLog.Rebalanced(_logger, group.GroupId, group.Generation, group.ProtocolName, group.Members.Count);
        foreach (GroupMember member in group.Members)
        {
            TaskCompletionSource<JoinGroupResponse> waiter = member.JoinWaiter!;
            member.JoinWaiter = null;
            member.IsNew = false;
            waiter.TrySetResult(JoinResult(group, member, member.JoinVersion, includeMembers: member.MemberId == group.LeaderId));
            ScheduleSessionExpiry(group, member);
        }
        // The sync phase has the same deadline: members that never sync are removed and the group rebalances.
        string groupId = group.GroupId;
        int generation = group.Generation;
        group.PhaseTimer = Timer(() => SyncPhaseTimedOut(groupId, generation), TimeSpan.FromMilliseconds(group.MaxRebalanceTimeoutMs()));
    }

    private JoinGroupResponse JoinResult(ClassicGroup group, GroupMember member, short version, bool includeMembers)
    {
        var response = new JoinGroupResponse
        {
            GenerationId = group.Generation,
            ProtocolType = group.ProtocolType,
            ProtocolName = group.ProtocolName,
            Leader = group.LeaderId ?? "",
            MemberId = member.MemberId,
        };
        if (includeMembers)
        {
            foreach (GroupMember each in group.Members)
            {
                response.Members.Add(new JoinGroupResponse.JoinGroupResponseMember
                {
                    MemberId = each.MemberId,
                    GroupInstanceId = each.GroupInstanceId,
                    Metadata = each.MetadataFor(group.ProtocolName ?? "") ?? [],
                });
            }
        }
        _ = version;
        return response;
    }

    private void SetState(ClassicGroup group, GroupState state)
    {
        group.State = state;
        group.StateTimestamp = NowMs;
    }
}
