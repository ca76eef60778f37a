namespace Brook.Broker.Groups;

/// <summary>One committed offset as the coordinator keeps it (OffsetCommitValue's fields).</summary>
public sealed record CommittedOffset(long Offset, int LeaderEpoch, string? Metadata, long CommitTimestamp, long ExpireTimestamp = -1);

/// <summary>One member as GroupMetadataValue stores it.</summary>
public sealed record StoredMember(string MemberId, string? GroupInstanceId, string ClientId, string ClientHost,
    int RebalanceTimeoutMs, int SessionTimeoutMs, byte[] Subscription, byte[] Assignment);

/// <summary>A group as GroupMetadataValue stores it.</summary>
public sealed record StoredGroup(string ProtocolType, int Generation, string? Protocol, string? Leader, long StateTimestamp, IReadOnlyList<StoredMember> Members);

/// <summary>What a record of <c>__consumer_offsets</c> says, decoded.</summary>
public abstract record OffsetsRecord(string GroupId);

/// <summary>An offset commit (Value null: the offset was deleted).</summary>
public sealed record OffsetCommitRecord(string GroupId, string Topic, int Partition, CommittedOffset? Value) : OffsetsRecord(GroupId);

/// <summary>A group's metadata (Value null: the group was deleted).</summary>
public sealed record GroupMetadataRecord(string GroupId, StoredGroup? Value) : OffsetsRecord(GroupId);
