namespace Brook.Broker.Groups;

/// <summary>A group as ListGroups reports it: its type (<c>classic</c> or <c>consumer</c>) and, for consumer groups, their state name.</summary>
public sealed record GroupListing(string GroupId, string ProtocolType, GroupState State, string Type = "classic", string? StateName = null)
{
    public string StateText => StateName ?? GroupStateNames.Of(State);
}

/// <summary>A member as DescribeGroups reports it (metadata and assignment only while the group is Stable).</summary>
public sealed record MemberDescription(string MemberId, string? GroupInstanceId, string ClientId, string ClientHost, byte[] Metadata, byte[] Assignment);

/// <summary>A group as DescribeGroups reports it.</summary>
public sealed record GroupDescription(string GroupId, GroupState State, string ProtocolType, string Protocol, IReadOnlyList<MemberDescription> Members);
