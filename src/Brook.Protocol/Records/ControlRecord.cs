using System.Buffers;
using System.Buffers.Binary;

namespace Brook.Protocol.Records;

/// <summary>Control record types (FACTS.md §7). Readers must tolerate types not listed here.</summary>
public enum ControlRecordType : short
{
    Abort = 0,
    Commit = 1,
    LeaderChange = 2,
    SnapshotHeader = 3,
    SnapshotFooter = 4,
    KRaftVersion = 5,
    KRaftVoters = 6,
}

/// <summary>
/// The key of a control record (<c>int16 version, int16 type</c>) and the value of an
/// ABORT/COMMIT marker (<c>int16 version, int32 coordinatorEpoch</c>).
/// </summary>
public static class ControlRecord
{
    public const short CurrentVersion = 0;
    public const int KeySize = 4;
    public const int EndTransactionMarkerValueSize = 6;

    /// <summary>Reads a control record key; false when it is shorter than four bytes. Unknown types are returned as they are.</summary>
    public static bool TryReadKey(ReadOnlySpan<byte> key, out short version, out ControlRecordType type)
    {
        if (key.Length < KeySize)
        {
            version = 0;
            type = default;
            return false;
        }
        version = BinaryPrimitives.ReadInt16BigEndian(key);
        type = (ControlRecordType)BinaryPrimitives.ReadInt16BigEndian(key[2..]);
        return true;
    }

    /// <summary>Reads an ABORT/COMMIT marker value; newer versions are read by their version-0 prefix.</summary>
    public static bool TryReadEndTransactionMarker(ReadOnlySpan<byte> value, out short version, out int coordinatorEpoch)
    {
        if (value.Length < EndTransactionMarkerValueSize)
        {
            version = 0;
            coordinatorEpoch = 0;
            return false;
        }
        version = BinaryPrimitives.ReadInt16BigEndian(value);
        coordinatorEpoch = BinaryPrimitives.ReadInt32BigEndian(value[2..]);
        return true;
    }

    public static bool IsEndTransactionMarker(ControlRecordType type) =>
        type is ControlRecordType.Abort or ControlRecordType.Commit;

    public static void WriteKey(Span<byte> destination, ControlRecordType type)
    {
        BinaryPrimitives.WriteInt16BigEndian(destination, CurrentVersion);
        BinaryPrimitives.WriteInt16BigEndian(destination[2..], (short)type);
    }

    public static void WriteEndTransactionMarker(Span<byte> destination, int coordinatorEpoch)
    {
        BinaryPrimitives.WriteInt16BigEndian(destination, CurrentVersion);
        BinaryPrimitives.WriteInt32BigEndian(destination[2..], coordinatorEpoch);
    }
}

/// <summary>Writes the one-record control batch a partition leader appends to end a transaction.</summary>
public static class EndTransactionMarker
{
    /// <summary>
    /// Writes an ABORT or COMMIT marker batch: uncompressed, transactional + control, baseSequence -1,
    /// CreateTime <paramref name="timestamp"/>. Returns the bytes written.
    /// </summary>
    public static int WriteBatch(IBufferWriter<byte> output, ControlRecordType type, int coordinatorEpoch,
        long producerId, short producerEpoch, long timestamp, long baseOffset = 0, int partitionLeaderEpoch = -1)
    {
        if (!ControlRecord.IsEndTransactionMarker(type))
        {
            throw new ArgumentOutOfRangeException(nameof(type), type, "a transaction marker is ABORT or COMMIT");
        }
        Span<byte> key = stackalloc byte[ControlRecord.KeySize];
        Span<byte> value = stackalloc byte[ControlRecord.EndTransactionMarkerValueSize];
        ControlRecord.WriteKey(key, type);
        ControlRecord.WriteEndTransactionMarker(value, coordinatorEpoch);
        using var builder = new RecordBatchBuilder(new RecordBatchOptions
        {
            BaseOffset = baseOffset,
            PartitionLeaderEpoch = partitionLeaderEpoch,
            ProducerId = producerId,
            ProducerEpoch = producerEpoch,
            IsTransactional = true,
            IsControl = true,
        }, initialCapacity: 64);
        builder.Append(timestamp, key, value);
        return builder.WriteTo(output);
    }
}
