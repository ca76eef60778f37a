using System.Text;
using Brook.Protocol.Compression;
using Brook.Protocol.Records;
using Record = Brook.Protocol.Records.Record;

namespace Brook.Protocol.Tests.Records;

/// <summary>A record copied out of a batch, for assertions (tests may allocate).</summary>
internal sealed record DecodedRecord(long Offset, long Timestamp, byte[]? Key, byte[]? Value, (string Key, byte[]? Value)[] Headers)
{
    public string? KeyText => Key is null ? null : Encoding.UTF8.GetString(Key);
    public string? ValueText => Value is null ? null : Encoding.UTF8.GetString(Value);

    /// <summary>Decodes every record of one batch, decompressing when needed; fails the test on any error.</summary>
    public static List<DecodedRecord> ReadAll(ReadOnlySpan<byte> batchBytes, int maxBytes = 1 << 20)
    {
        Assert.Equal(RecordBatchError.None, RecordBatch.TryRead(batchBytes, out RecordBatch batch));
        using var scratch = new PooledBufferWriter();
        RecordEnumerator records = batch.GetRecords(scratch, maxBytes);
        var result = new List<DecodedRecord>();
        RecordBatchHeader header = batch.Header;
        // MoveNext on the local itself: foreach would walk a copy and leave records.Error unread.
        while (records.MoveNext())
        {
            Record record = records.Current;
            var headers = new List<(string, byte[]?)>();
            foreach (RecordHeader h in record.Headers)
            {
                headers.Add((Encoding.UTF8.GetString(h.Key), h.ValueIsNull ? null : h.Value.ToArray()));
            }
            result.Add(new DecodedRecord(
                record.Offset(header.BaseOffset),
                record.Timestamp(header),
                record.KeyIsNull ? null : record.Key.ToArray(),
                record.ValueIsNull ? null : record.Value.ToArray(),
                [.. headers]));
        }
        Assert.Equal(RecordBatchError.None, records.Error);
        Assert.Equal(header.RecordsCount, result.Count);
        return result;
    }
}
