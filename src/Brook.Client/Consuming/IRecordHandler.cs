using Brook.Protocol.Records;

namespace Brook.Client.Consuming;

/// <summary>
/// Receives consumed records as views into the fetch response, without copying them: the spans are
/// valid only during the call. <see cref="KafkaConsumer.PollAsync{THandler}"/> calls it in offset
/// order per partition; use a struct or a reused class so nothing is allocated per record.
/// </summary>
public interface IRecordHandler
{
    void OnRecord(in ConsumedRecord record);
}

/// <summary>A consumed record as a view: key, value and headers point into the fetched batch.</summary>
public readonly ref struct ConsumedRecord
{
    private readonly Record _record;

    internal ConsumedRecord(string topic, int partition, long offset, long timestamp, bool isLogAppendTime, int leaderEpoch, Record record)
    {
        Topic = topic;
        Partition = partition;
        Offset = offset;
        Timestamp = timestamp;
        IsLogAppendTime = isLogAppendTime;
        LeaderEpoch = leaderEpoch;
        _record = record;
    }

    public string Topic { get; }
    public int Partition { get; }
    public long Offset { get; }
    public long Timestamp { get; }
    public bool IsLogAppendTime { get; }
    public int LeaderEpoch { get; }
    public ReadOnlySpan<byte> Key => _record.Key;
    public bool KeyIsNull => _record.KeyIsNull;
    public ReadOnlySpan<byte> Value => _record.Value;
    public bool ValueIsNull => _record.ValueIsNull;
    public int HeaderCount => _record.HeaderCount;
    public RecordHeaderEnumerator Headers => _record.Headers;
}
