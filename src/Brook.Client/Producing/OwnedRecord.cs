using Brook.Protocol.Records;

namespace Brook.Client.Producing;

/// <summary>
/// A record copied out of the caller's buffers because it must wait (for the producer id or for
/// topic metadata) before it can be appended. Only the slow path makes these.
/// </summary>
internal sealed class OwnedRecord(string topic, byte[]? key, byte[]? value, RecordHeaderData[] headers, int? partition, long timestamp,
    TaskCompletionSource<DeliveryReport>? task, DeliveryHandler? handler, DateTimeOffset deadline)
{
    public string Topic { get; } = topic;
    public byte[]? Key { get; } = key;
    public byte[]? Value { get; } = value;
    public RecordHeaderData[] Headers { get; } = headers;
    public int? Partition { get; } = partition;
    public long Timestamp { get; } = timestamp;
    public TaskCompletionSource<DeliveryReport>? Task { get; } = task;
    public DeliveryHandler? Handler { get; } = handler;
    public DateTimeOffset Deadline { get; } = deadline;

    public static OwnedRecord Copy(string topic, ReadOnlyMemory<byte>? key, ReadOnlyMemory<byte>? value, ReadOnlySpan<RecordHeaderData> headers,
        int? partition, long timestamp, TaskCompletionSource<DeliveryReport>? task, DeliveryHandler? handler, DateTimeOffset deadline)
    {
        var copiedHeaders = new RecordHeaderData[headers.Length];
        for (int i = 0; i < headers.Length; i++)
        {
            RecordHeaderData header = headers[i];
            copiedHeaders[i] = header.ValueIsNull
                ? RecordHeaderData.WithNullValue(header.Key.ToArray())
                : new RecordHeaderData(header.Key.ToArray(), header.Value.ToArray());
        }
        return new OwnedRecord(topic, key?.ToArray(), value?.ToArray(), copiedHeaders, partition, timestamp, task, handler, deadline);
    }
}
