using System.Text;
using Brook.Protocol.Primitives;
using Brook.Protocol.Records;

namespace Brook.Storage.Tests.Support;

/// <summary>Reading test batches back, checking their CRCs.</summary>
internal static partial class TestBatches
{
    /// <summary>Every record in <paramref name="bytes"/> (whole batches), with its offset.</summary>
    public static List<ReadRecord> Parse(ReadOnlySpan<byte> bytes)
    {
        var result = new List<ReadRecord>();
        int at = 0;
        while (at + RecordBatchHeader.Size <= bytes.Length)
        {
            var header = new RecordBatchHeader(bytes[at..]);
            var batch = bytes.Slice(at, header.TotalSize);
            Assert.Equal(header.Crc, Crc32C.Compute(batch[RecordBatchHeader.CrcCoverageStart..]));
            int position = RecordBatchHeader.Size;
            for (int i = 0; i < header.RecordsCount; i++)
            {
                long length = ReadVarint(batch, ref position);
                int end = position + (int)length;
                position++; // attributes
                long timestampDelta = ReadVarint(batch, ref position);
                long offsetDelta = ReadVarint(batch, ref position);
                string? key = ReadString(batch, ref position);
                string? value = ReadString(batch, ref position);
                result.Add(new ReadRecord(header.BaseOffset + offsetDelta, key, value, header.BaseTimestamp + timestampDelta, header.PartitionLeaderEpoch));
                position = end;
            }
            at += header.TotalSize;
        }
        return result;
    }

    private static long ReadVarint(ReadOnlySpan<byte> source, ref int position)
    {
        ulong raw = 0;
        int shift = 0;
        while (true)
        {
            byte b = source[position++];
            raw |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return (long)(raw >> 1) ^ -(long)(raw & 1);
            }
            shift += 7;
        }
    }

    private static string? ReadString(ReadOnlySpan<byte> source, ref int position)
    {
        long length = ReadVarint(source, ref position);
        if (length < 0)
        {
            return null;
        }
        string text = Encoding.UTF8.GetString(source.Slice(position, (int)length));
        position += (int)length;
        return text;
    }
}

/// <summary>A record as read back from the log.</summary>
internal readonly record struct ReadRecord(long Offset, string? Key, string? Value, long Timestamp, int LeaderEpoch);
