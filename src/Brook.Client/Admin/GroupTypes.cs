namespace Brook.Client.Admin;

/// <summary>A group as ListGroups shows it.</summary>
public sealed record GroupListing(string GroupId, string ProtocolType, string State, string Type);

/// <summary>A group as DescribeGroups shows it; members' assignments decoded when the protocol type is "consumer".</summary>
public sealed record GroupDescription(string GroupId, string State, string ProtocolType, string Protocol, IReadOnlyList<GroupMemberDescription> Members);

/// <summary>One member of a group and the partitions assigned to it.</summary>
public sealed record GroupMemberDescription(string MemberId, string? GroupInstanceId, string ClientId, string ClientHost,
    IReadOnlyList<TopicPartition> Assignment);

/// <summary>A committed offset (-1 when the group has none for the partition).</summary>
public readonly record struct CommittedOffset(long Offset, int LeaderEpoch, string? Metadata);

/// <summary>The outcome for one group of a delete.</summary>
public sealed record GroupResult(string GroupId, Brook.Protocol.Errors.ErrorCode Error)
{
    public bool Succeeded => Error == Brook.Protocol.Errors.ErrorCode.None;
}
