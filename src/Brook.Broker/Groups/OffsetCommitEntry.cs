namespace Brook.Broker.Groups;

/// <summary>One partition of an OffsetCommit request.</summary>
public sealed record OffsetCommitEntry(string Topic, int Partition, long Offset, int LeaderEpoch, string? Metadata);

/// <summary>What a commit request says about who commits (generation -1 and no member: an admin or simple consumer).</summary>
public sealed record OffsetCommitter(string GroupId, int Generation, string MemberId, string? GroupInstanceId);
