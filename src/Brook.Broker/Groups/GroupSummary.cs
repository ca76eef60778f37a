namespace Brook.Broker.Groups;

/// <summary>A group as ListGroups reports it.</summary>
public sealed record GroupListing(string GroupId, string ProtocolType, GroupState State);

/// <summary>A member as DescribeGroups reports it (metadata and assignment only while the group is Stable).</summary>
public sealed record MemberDescription(string MemberId, string? GroupInstanceId, string ClientId, string ClientHost, byte[] Metadata, byte[] Assignment);

/// <summary>A group as DescribeGroups reports it.</summary>
public sealed record GroupDescription(string GroupId, GroupState State, string ProtocolType, string Protocol, IReadOnlyList<MemberDescription> Members);
