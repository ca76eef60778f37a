namespace Brook.Broker.Groups.Consumer;

/// <summary>A KIP-848 member: what it subscribes to (ConsumerGroupMemberMetadataValue) and what it owns (ConsumerGroupCurrentMemberAssignmentValue).</summary>
internal sealed class ConsumerGroupMember
{
    public ConsumerGroupMember(string memberId) => MemberId = memberId;

    public string MemberId { get; }

    public string? InstanceId { get; set; }

    public string? RackId { get; set; }

    public string ClientId { get; set; } = "";

    public string ClientHost { get; set; } = "";

    public IReadOnlyList<string> SubscribedTopicNames { get; set; } = [];

    public int RebalanceTimeoutMs { get; set; } = -1;

    public string? ServerAssignor { get; set; }

    public MemberAssignment Assignment { get; set; } = MemberAssignment.Initial;

    public int MemberEpoch => Assignment.MemberEpoch;

    /// <summary>Fences the member when no heartbeat comes within the session timeout.</summary>
    public ITimer? SessionTimer { get; set; }

    /// <summary>Fences the member when it does not revoke within its rebalance timeout.</summary>
    public ITimer? RebalanceTimer { get; set; }

    public void DisposeTimers()
    {
        SessionTimer?.Dispose();
        SessionTimer = null;
        RebalanceTimer?.Dispose();
        RebalanceTimer = null;
    }
}
