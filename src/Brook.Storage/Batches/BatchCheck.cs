using System.Buffers.Binary;
using Brook.Protocol.Records;

namespace Brook.Storage.Batches;

/// <summary>Why a byte range is not a whole, valid record batch.</summary>
internal enum BatchStatus
{
    Valid,
    /// <summary>The bytes end before the batch does (a torn write or a short read).</summary>
    Incomplete,
    /// <summary>The header or the CRC is wrong.</summary>
    Corrupt,
}

/// <summary>
/// Framing checks for batches in a log, shared by append and recovery. Unlike
/// <see cref="RecordBatch.TryRead"/> they tell a torn tail (<see cref="BatchStatus.Incomplete"/>)
/// from damage (<see cref="BatchStatus.Corrupt"/>), which recovery's truncation needs, and they do
/// not parse records, so a log written by an older or laxer writer still loads.
/// </summary>
internal static class BatchCheck
{
    /// <summary>Smallest legal <c>batchLength</c>: a header with no records.</summary>
    public const int MinBatchLength = RecordBatchHeader.Size - RecordBatchHeader.LogOverhead;

    /// <summary>Reads the total size of the batch starting at <paramref name="bytes"/> once its first 12 bytes are there.</summary>
    public static BatchStatus TryGetSize(ReadOnlySpan<byte> bytes, out int totalSize)
    {
        totalSize = 0;
        if (bytes.Length < RecordBatchHeader.LogOverhead)
        {
            return BatchStatus.Incomplete;
        }
        int batchLength = BinaryPrimitives.ReadInt32BigEndian(bytes[RecordBatchHeader.BatchLengthOffset..]);
        if (batchLength < MinBatchLength || batchLength > int.MaxValue - RecordBatchHeader.LogOverhead)
        {
            return BatchStatus.Corrupt;
        }
        totalSize = batchLength + RecordBatchHeader.LogOverhead;
        return BatchStatus.Valid;
    }

    /// <summary>Checks one batch: whole, magic 2, sane counts and, when asked, the CRC.</summary>
    public static BatchStatus Check(ReadOnlySpan<byte> bytes, bool verifyCrc)
    {
        var status = TryGetSize(bytes, out int totalSize);
        if (status != BatchStatus.Valid)
        {
            return status;
        }
        if (bytes.Length < RecordBatchHeader.Size || bytes.Length < totalSize)
        {
            return BatchStatus.Incomplete;
        }
        var header = new RecordBatchHeader(bytes);
        if (header.Magic != RecordBatchHeader.CurrentMagic || header.LastOffsetDelta < 0 || header.RecordsCount < 0)
        {
            return BatchStatus.Corrupt;
        }
        if (verifyCrc && RecordBatchHeader.ComputeCrc(bytes[..totalSize]) != header.Crc)
        {
            return BatchStatus.Corrupt;
        }
        return BatchStatus.Valid;
    }
}
