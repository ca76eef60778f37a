namespace Brook.Client.Consuming;

/// <summary>A header of a consumed record.</summary>
public sealed record ConsumedHeader(string Key, byte[]? Value);

/// <summary>One consumed record. Key and value are null when the record has none.</summary>
public sealed record ConsumeResult(string Topic, int Partition, long Offset, long Timestamp, bool IsLogAppendTime,
    byte[]? Key, byte[]? Value, IReadOnlyList<ConsumedHeader> Headers, int LeaderEpoch)
{
    public TopicPartition TopicPartition => new(Topic, Partition);
}
