using System.Text;
using Brook.Protocol.Records;

namespace Brook.Client.Consuming;

/// <summary>Copies each record into a <see cref="ConsumeResult"/> (the convenient, allocating poll).</summary>
internal sealed class ResultCollector : IRecordHandler
{
    public List<ConsumeResult> Results { get; } = [];

    public void OnRecord(in ConsumedRecord record)
    {
        Results.Add(new ConsumeResult(record.Topic, record.Partition, record.Offset, record.Timestamp, record.IsLogAppendTime,
            record.KeyIsNull ? null : record.Key.ToArray(), record.ValueIsNull ? null : record.Value.ToArray(),
            ReadHeaders(record), record.LeaderEpoch));
    }

    private static IReadOnlyList<ConsumedHeader> ReadHeaders(in ConsumedRecord record)
    {
        if (record.HeaderCount == 0)
        {
            return [];
        }
        var headers = new ConsumedHeader[record.HeaderCount];
        int i = 0;
        foreach (RecordHeader header in record.Headers)
        {
            headers[i++] = new ConsumedHeader(Encoding.UTF8.GetString(header.Key), header.ValueIsNull ? null : header.Value.ToArray());
        }
        return headers;
    }
}
