namespace Brook.Broker.Groups;

/// <summary>A classic-protocol group: its state, generation, members and committed offsets. Guarded by the coordinator's lock.</summary>
internal sealed class ClassicGroup
{
    public ClassicGroup(string groupId, long now)
    {
        GroupId = groupId;
        StateTimestamp = now;
    }

    public string GroupId { get; }

    public GroupState State { get; set; } = GroupState.Empty;

    /// <summary>When the group entered its current state (Kafka's currentStateTimestamp; offsets of an empty group expire from here).</summary>
    public long StateTimestamp { get; set; }

    public string? ProtocolType { get; set; }

    public string? ProtocolName { get; set; }

    public int Generation { get; set; }

    public string? LeaderId { get; set; }

    /// <summary>Members in join order (the first is the leader when one must be chosen).</summary>
    public List<GroupMember> Members { get; } = [];

    /// <summary>group.instance.id → member id of static members.</summary>
    public Dictionary<string, string> StaticMembers { get; } = new(StringComparer.Ordinal);

    /// <summary>Member ids handed out with MEMBER_ID_REQUIRED and not yet used, with the timer that forgets them.</summary>
    public Dictionary<string, ITimer> PendingMembers { get; } = new(StringComparer.Ordinal);

    /// <summary>Members that sent SyncGroup in the current CompletingRebalance.</summary>
    public HashSet<string> Synced { get; } = new(StringComparer.Ordinal);

    public Dictionary<(string Topic, int Partition), OffsetEntry> Offsets { get; } = [];

    /// <summary>Ends the join phase (rebalance timeout, or the initial delay) or the sync phase.</summary>
    public ITimer? PhaseTimer { get; set; }

    public bool InInitialDelay { get; set; }

    public bool NewMemberAdded { get; set; }

    public long InitialDelayRemainingMs { get; set; }

    public GroupMember? Find(string memberId)
    {
        foreach (GroupMember member in Members)
        {
            if (member.MemberId == memberId)
            {
                return member;
            }
        }
        return null;
    }

    /// <summary>KIP-345: a static member whose instance id now belongs to another member id is fenced.</summary>
    public bool IsStaticMemberFenced(string? instanceId, string memberId) =>
        instanceId is not null && StaticMembers.TryGetValue(instanceId, out string? current) && current != memberId;

    public bool AllMembersJoined()
    {
        if (PendingMembers.Count > 0)
        {
            return false;
        }
        foreach (GroupMember member in Members)
        {
            if (member.JoinWaiter is null)
            {
                return false;
            }
        }
        return true;
    }

    public int MaxRebalanceTimeoutMs()
    {
        int max = 0;
        foreach (GroupMember member in Members)
        {
            max = Math.Max(max, member.RebalanceTimeoutMs);
        }
        return max;
    }

    /// <summary>The protocols every member supports.</summary>
    public List<string> CandidateProtocols()
    {
        var candidates = new List<string>();
        if (Members.Count == 0)
        {
            return candidates;
        }
        foreach ((string name, _) in Members[0].Protocols)
        {
            if (Members.TrueForAll(m => m.Supports(name)))
            {
                candidates.Add(name);
            }
        }
        return candidates;
    }

    /// <summary>Whether a member with these protocols could join: same protocol type and at least one protocol in common.</summary>
    public bool SupportsProtocols(string protocolType, List<(string Name, byte[] Metadata)> protocols)
    {
        if (Members.Count == 0)
        {
            return protocolType.Length > 0 && protocols.Count > 0;
        }
        if (protocolType != ProtocolType)
        {
            return false;
        }
        List<string> candidates = CandidateProtocols();
        return protocols.Exists(p => candidates.Contains(p.Name));
    }

    /// <summary>Kafka's vote: among the protocols all members support, each member votes for its most preferred; most votes wins.</summary>
    public string SelectProtocol()
    {
        List<string> candidates = CandidateProtocols();
        var votes = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (GroupMember member in Members)
        {
            string choice = member.Protocols.Find(p => candidates.Contains(p.Name)).Name;
            votes[choice] = votes.GetValueOrDefault(choice) + 1;
        }
        string best = candidates[0];
        foreach (string candidate in candidates)
        {
            if (votes.GetValueOrDefault(candidate) > votes.GetValueOrDefault(best))
            {
                best = candidate;
            }
        }
        return best;
    }
}

/// <summary>A committed offset and the position of its record in <c>__consumer_offsets</c> (so a late apply never overwrites a newer commit).</summary>
internal sealed record OffsetEntry(CommittedOffset Value, long RecordOffset);
