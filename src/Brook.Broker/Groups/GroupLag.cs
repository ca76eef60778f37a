namespace Brook.Broker.Groups;

/// <summary>How far a group is behind on one partition: the log end (high watermark) minus its committed offset.</summary>
public sealed record GroupLag(string GroupId, string Topic, int Partition, long CommittedOffset, long LogEndOffset)
{
    public long Lag => Math.Max(LogEndOffset - CommittedOffset, 0);
}
