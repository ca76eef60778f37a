using Brook.Protocol.Errors;
using Brook.Protocol.Messages;

namespace Brook.Broker.Groups;

/// <summary>SyncGroup, Heartbeat, LeaveGroup and member expiry.</summary>
public sealed partial class GroupCoordinator
{
    public async Task<SyncGroupResponse> SyncAsync(string groupId, int generation, string memberId, string? groupInstanceId,
        string? protocolType, string? protocolName, IReadOnlyList<(string MemberId, byte[] Assignment)> assignments)
    {
        ArgumentNullException.ThrowIfNull(assignments);
        Task<SyncGroupResponse> waiter;
        byte[]? stored = null;
        lock (_lock)
        {
            if (!_groups.TryGetValue(groupId ?? "", out ClassicGroup? group))
            {
                return GroupResponses.SyncError(ErrorCode.UnknownMemberId);
            }
            if (group.IsStaticMemberFenced(groupInstanceId, memberId))
            {
                return GroupResponses.SyncError(ErrorCode.FencedInstanceId);
            }
            GroupMember? member = group.Find(memberId);
            if (member is null || group.State == GroupState.Empty)
            {
                return GroupResponses.SyncError(group.State == GroupState.Dead ? ErrorCode.CoordinatorNotAvailable : ErrorCode.UnknownMemberId);
            }
            if (generation != group.Generation)
            {
                return GroupResponses.SyncError(ErrorCode.IllegalGeneration);
            }
            if ((protocolType is not null && protocolType != group.ProtocolType) || (protocolName is not null && protocolName != group.ProtocolName))
            {
                return GroupResponses.SyncError(ErrorCode.InconsistentGroupProtocol);
            }
            switch (group.State)
            {
                case GroupState.PreparingRebalance:
                    return GroupResponses.SyncError(ErrorCode.RebalanceInProgress);
                case GroupState.Stable:
                    ScheduleSessionExpiry(group, member);
                    return SyncResult(group, member.Assignment);
                case GroupState.CompletingRebalance:
                    break;
                default:
                    return GroupResponses.SyncError(ErrorCode.CoordinatorNotAvailable);
            }
            var source = new TaskCompletionSource<SyncGroupResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
            member.SyncWaiter?.TrySetResult(GroupResponses.SyncError(ErrorCode.RebalanceInProgress));
            member.SyncWaiter = source;
            waiter = source.Task;
            group.Synced.Add(memberId);
            ScheduleSessionExpiry(group, member);
            if (memberId == group.LeaderId)
            {
                var byMember = new Dictionary<string, byte[]>(StringComparer.Ordinal);
                foreach ((string id, byte[] assignment) in assignments)
                {
                    byMember[id] = assignment;
                }
                stored = OffsetsRecordCodec.GroupValue(Snapshot(group, byMember));
                _ = CompleteSyncAsync(groupId!, group.Generation, byMember, stored);
            }
        }
        return await waiter;
    }

    /// <summary>The leader's assignment is stored first; only then do members get it and the group become Stable (Kafka's storeGroup callback).</summary>
    private async Task CompleteSyncAsync(string groupId, int generation, Dictionary<string, byte[]> assignments, byte[] stored)
    {
        ErrorCode error;
        try
        {
            (error, _) = await AppendAsync(groupId, [(OffsetsRecordCodec.GroupKey(groupId), stored)], CancellationToken.None);
        }
        catch (ObjectDisposedException)
        {
            error = ErrorCode.CoordinatorNotAvailable;
        }
        lock (_lock)
        {
            if (!_groups.TryGetValue(groupId, out ClassicGroup? group) || group.State != GroupState.CompletingRebalance || group.Generation != generation)
            {
                return;
            }
            if (error != ErrorCode.None)
            {
                foreach (GroupMember member in group.Members)
                {
                    member.SyncWaiter?.TrySetResult(GroupResponses.SyncError(error));
                    member.SyncWaiter = null;
                }
                PrepareRebalance(group);
                return;
            }
            group.PhaseTimer?.Dispose();
            group.PhaseTimer = null;
            SetState(group, GroupState.Stable);
            foreach (GroupMember member in group.Members)
            {
                member.Assignment = assignments.GetValueOrDefault(member.MemberId, []);
                member.SyncWaiter?.TrySetResult(SyncResult(group, member.Assignment));
                member.SyncWaiter = null;
            }
        }
    }

    private static SyncGroupResponse SyncResult(ClassicGroup group, byte[] assignment) =>
        new() { ProtocolType = group.ProtocolType, ProtocolName = group.ProtocolName, Assignment = assignment };

    private void SyncPhaseTimedOut(string groupId, int generation)
    {
        lock (_lock)
        {
            if (!_groups.TryGetValue(groupId, out ClassicGroup? group) || group.State != GroupState.CompletingRebalance || group.Generation != generation)
            {
                return;
            }
            // Members that never synced are gone (if the leader never synced, nobody got an assignment: all who did not sync go).
            for (int i = group.Members.Count - 1; i >= 0; i--)
            {
                if (!group.Synced.Contains(group.Members[i].MemberId))
                {
                    RemoveMember(group, group.Members[i]);
                }
            }
            if (group.Members.Count == 0)
            {
                PrepareRebalance(group);
                CompleteJoin(group);
                return;
            }
            PrepareRebalance(group);
        }
    }

    public ErrorCode Heartbeat(string groupId, int generation, string memberId, string? groupInstanceId)
    {
        lock (_lock)
        {
            if (!_groups.TryGetValue(groupId ?? "", out ClassicGroup? group))
            {
                return ErrorCode.UnknownMemberId;
            }
            if (group.State == GroupState.Dead)
            {
                return ErrorCode.CoordinatorNotAvailable;
            }
            if (group.IsStaticMemberFenced(groupInstanceId, memberId))
            {
                return ErrorCode.FencedInstanceId;
            }
            GroupMember? member = group.Find(memberId);
            if (member is null || group.State == GroupState.Empty)
            {
                return ErrorCode.UnknownMemberId;
            }
            if (generation != group.Generation)
            {
                return ErrorCode.IllegalGeneration;
            }
            if (member.JoinWaiter is null)
            {
                ScheduleSessionExpiry(group, member);
            }
            // During CompletingRebalance members heartbeat while the leader assigns (Kafka answers NONE);
            // during PreparingRebalance the answer tells them to rejoin.
            return group.State == GroupState.PreparingRebalance ? ErrorCode.RebalanceInProgress : ErrorCode.None;
        }
    }

    /// <summary>LeaveGroup: v0-v2 one member by id; v3+ a batch by member id or group.instance.id.</summary>
    public LeaveGroupResponse Leave(string groupId, IReadOnlyList<(string MemberId, string? GroupInstanceId)> leaving)
    {
        ArgumentNullException.ThrowIfNull(leaving);
        var response = new LeaveGroupResponse();
        lock (_lock)
        {
            _groups.TryGetValue(groupId ?? "", out ClassicGroup? group);
            if (group?.State == GroupState.Dead)
            {
                response.ErrorCode = (short)ErrorCode.CoordinatorNotAvailable;
                return response;
            }
            bool removed = false;
            foreach ((string memberId, string? instanceId) in leaving)
            {
                ErrorCode error = ErrorCode.UnknownMemberId;
                if (group is not null)
                {
                    if (instanceId is null && group.PendingMembers.Remove(memberId, out ITimer? pending))
                    {
                        pending.Dispose();
                        error = ErrorCode.None;
                    }
                    else if (instanceId is not null && group.StaticMembers.TryGetValue(instanceId, out string? current))
                    {
                        error = memberId.Length > 0 && memberId != current ? ErrorCode.FencedInstanceId : ErrorCode.None;
                        if (error == ErrorCode.None)
                        {
                            RemoveMember(group, group.Find(current)!);
                            removed = true;
                        }
                    }
                    else if (instanceId is null && group.Find(memberId) is { } member)
                    {
                        RemoveMember(group, member);
                        removed = true;
                        error = ErrorCode.None;
                    }
                }
                response.Members.Add(new LeaveGroupResponse.MemberResponse { MemberId = memberId, GroupInstanceId = instanceId, ErrorCode = (short)error });
            }
            if (group is not null && removed)
            {
                AfterMemberRemoved(group);
            }
            else if (group is not null)
            {
                TryCompleteJoin(group);
            }
        }
        return response;
    }

    private void ScheduleSessionExpiry(ClassicGroup group, GroupMember member)
    {
        TimeSpan due = TimeSpan.FromMilliseconds(member.SessionTimeoutMs);
        if (member.SessionTimer is null)
        {
            string groupId = group.GroupId;
            member.SessionTimer = Timer(() => SessionExpired(groupId, member), due);
        }
        else
        {
            member.SessionTimer.Change(due, Timeout.InfiniteTimeSpan);
        }
    }

    private void SessionExpired(string groupId, GroupMember member)
    {
        lock (_lock)
        {
            if (!_groups.TryGetValue(groupId, out ClassicGroup? group) || !group.Members.Contains(member) || member.JoinWaiter is not null)
            {
                return;
            }
            GroupLog.MemberExpired(_logger, groupId, member.MemberId);
            RemoveMember(group, member);
            AfterMemberRemoved(group);
        }
    }

    private void ExpirePendingMember(string groupId, string memberId)
    {
        lock (_lock)
        {
            if (_groups.TryGetValue(groupId, out ClassicGroup? group) && group.PendingMembers.Remove(memberId, out ITimer? timer))
            {
                timer.Dispose();
                TryCompleteJoin(group);
            }
        }
    }

    private static void RemoveMember(ClassicGroup group, GroupMember member)
    {
        group.Members.Remove(member);
        member.SessionTimer?.Dispose();
        member.SessionTimer = null;
        if (member.GroupInstanceId is not null && group.StaticMembers.TryGetValue(member.GroupInstanceId, out string? current) && current == member.MemberId)
        {
            group.StaticMembers.Remove(member.GroupInstanceId);
        }
        member.JoinWaiter?.TrySetResult(GroupResponses.JoinError(ErrorCode.UnknownMemberId, member.MemberId, member.JoinVersion));
        member.JoinWaiter = null;
        member.SyncWaiter?.TrySetResult(GroupResponses.SyncError(ErrorCode.UnknownMemberId));
        member.SyncWaiter = null;
        if (group.LeaderId == member.MemberId)
        {
            GroupMember? next = group.Members.Find(m => m.JoinWaiter is not null) ?? (group.Members.Count > 0 ? group.Members[0] : null);
            group.LeaderId = next?.MemberId;
        }
    }

    private void AfterMemberRemoved(ClassicGroup group)
    {
        switch (group.State)
        {
            case GroupState.Stable or GroupState.CompletingRebalance:
                PrepareRebalance(group);
                TryCompleteJoin(group);
                break;
            case GroupState.PreparingRebalance:
                TryCompleteJoin(group);
                break;
        }
    }
}
