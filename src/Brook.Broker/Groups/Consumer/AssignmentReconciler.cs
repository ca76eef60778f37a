namespace Brook.Broker.Groups.Consumer;

/// <summary>
/// Moves a member's current assignment one step toward the target (KIP-848's incremental
/// reconciliation): partitions it must give up are revoked first while it stays at its epoch;
/// once the member reports they are gone it moves to the target epoch and receives the target's
/// partitions that no other member still owns; the rest come on later heartbeats, once released.
/// </summary>
internal static class AssignmentReconciler
{
    /// <param name="owned">The partitions the member reported in this heartbeat (null: not reported, i.e. unchanged).</param>
    public static MemberAssignment Next(ConsumerGroup group, ConsumerGroupMember member, int targetEpoch, TopicPartitionSet target, TopicPartitionSet? owned)
    {
        MemberAssignment current = member.Assignment;
        switch (current.State)
        {
            case ConsumerMemberState.Stable:
                return current.MemberEpoch == targetEpoch ? current : Compute(group, member.MemberId, current, current.MemberEpoch, targetEpoch, target, owned);
            case ConsumerMemberState.UnrevokedPartitions:
                return StillOwnsAny(owned, current.PendingRevocation) ? current : Compute(group, member.MemberId, current, current.MemberEpoch, targetEpoch, target, owned);
            default:
                return Compute(group, member.MemberId, current, current.MemberEpoch, targetEpoch, target, owned);
        }
    }

    /// <summary>Whether the member may still own some of <paramref name="revoking"/>; a heartbeat that does not report its partitions is assumed to.</summary>
    private static bool StillOwnsAny(TopicPartitionSet? owned, TopicPartitionSet revoking) => owned is null || owned.Overlaps(revoking);

    private static MemberAssignment Compute(ConsumerGroup group, string memberId, MemberAssignment current, int memberEpoch, int targetEpoch,
        TopicPartitionSet target, TopicPartitionSet? owned)
    {
        var keep = new TopicPartitionSet.Builder();
        var revoke = new TopicPartitionSet.Builder();
        var gain = new TopicPartitionSet.Builder();
        bool unreleased = false;
        int revoking = 0;
        int gaining = 0;
        foreach ((Brook.Protocol.Primitives.Uuid topicId, int partition) in current.Assigned.All())
        {
            if (target.Contains(topicId, partition))
            {
                keep.Add(topicId, partition);
                gain.Add(topicId, partition);
            }
            else
            {
                revoke.Add(topicId, partition);
                revoking++;
            }
        }
        foreach ((Brook.Protocol.Primitives.Uuid topicId, int partition) in target.All())
        {
            if (current.Assigned.Contains(topicId, partition))
            {
                continue;
            }
            if (group.IsFreeFor(topicId, partition, memberId))
            {
                gain.Add(topicId, partition);
                gaining++;
            }
            else
            {
                unreleased = true;
            }
        }
        TopicPartitionSet revokeSet = revoke.Build();
        if (revoking > 0 && StillOwnsAny(owned, revokeSet))
        {
            // Revoke first; the member keeps its epoch until it confirms.
            return new MemberAssignment(memberEpoch, current.MemberEpoch, ConsumerMemberState.UnrevokedPartitions, keep.Build(), revokeSet);
        }
        ConsumerMemberState state = unreleased ? ConsumerMemberState.UnreleasedPartitions : ConsumerMemberState.Stable;
        var next = new MemberAssignment(targetEpoch, current.MemberEpoch, state, gaining > 0 ? gain.Build() : keep.Build(), TopicPartitionSet.Empty);
        // Nothing moved: keep the previous epoch as it was, so a lost response is still recognised.
        return next.MemberEpoch == current.MemberEpoch && next.State == current.State && next.Assigned.Equals(current.Assigned) && current.PendingRevocation.IsEmpty
            ? current
            : next;
    }
}
