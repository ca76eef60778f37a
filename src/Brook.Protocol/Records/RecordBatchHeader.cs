using System.Buffers.Binary;
using Brook.Protocol.Primitives;

namespace Brook.Protocol.Records;

/// <summary>
/// The fixed 61-byte header of a magic-2 record batch, read in place. Field offsets are the
/// wire layout (FACTS.md §5); the log stores batches with exactly these bytes.
/// </summary>
public readonly ref struct RecordBatchHeader
{
    public const int Size = 61;
    /// <summary>Bytes before <c>batchLength</c>'s coverage starts: baseOffset (8) + batchLength (4).</summary>
    public const int LogOverhead = 12;
    public const byte CurrentMagic = 2;

    public const int BaseOffsetOffset = 0;
    public const int BatchLengthOffset = 8;
    public const int PartitionLeaderEpochOffset = 12;
    public const int MagicOffset = 16;
    public const int CrcOffset = 17;
    public const int AttributesOffset = 21;
    public const int LastOffsetDeltaOffset = 23;
    public const int BaseTimestampOffset = 27;
    public const int MaxTimestampOffset = 35;
    public const int ProducerIdOffset = 43;
    public const int ProducerEpochOffset = 51;
    public const int BaseSequenceOffset = 53;
    public const int RecordsCountOffset = 57;
    /// <summary>The CRC covers from the attributes to the end of the batch.</summary>
    public const int CrcCoverageStart = AttributesOffset;

    private readonly ReadOnlySpan<byte> _bytes;

    /// <summary>Wraps the first <see cref="Size"/> bytes of a batch; the caller checked the length.</summary>
    public RecordBatchHeader(ReadOnlySpan<byte> batch)
    {
        if (batch.Length < Size)
        {
            throw new ArgumentException($"a record batch header needs {Size} bytes, got {batch.Length}", nameof(batch));
        }
        _bytes = batch;
    }

    public long BaseOffset => BinaryPrimitives.ReadInt64BigEndian(_bytes[BaseOffsetOffset..]);
    public int BatchLength => BinaryPrimitives.ReadInt32BigEndian(_bytes[BatchLengthOffset..]);
    /// <summary>Whole size of the batch on the wire and on disk.</summary>
    public int TotalSize => BatchLength + LogOverhead;
    public int PartitionLeaderEpoch => BinaryPrimitives.ReadInt32BigEndian(_bytes[PartitionLeaderEpochOffset..]);
    public byte Magic => _bytes[MagicOffset];
    public uint Crc => BinaryPrimitives.ReadUInt32BigEndian(_bytes[CrcOffset..]);
    public RecordBatchAttributes Attributes => (RecordBatchAttributes)BinaryPrimitives.ReadInt16BigEndian(_bytes[AttributesOffset..]);
    public int LastOffsetDelta => BinaryPrimitives.ReadInt32BigEndian(_bytes[LastOffsetDeltaOffset..]);
    public long LastOffset => BaseOffset + LastOffsetDelta;
    public long BaseTimestamp => BinaryPrimitives.ReadInt64BigEndian(_bytes[BaseTimestampOffset..]);
    public long MaxTimestamp => BinaryPrimitives.ReadInt64BigEndian(_bytes[MaxTimestampOffset..]);
    public long ProducerId => BinaryPrimitives.ReadInt64BigEndian(_bytes[ProducerIdOffset..]);
    public short ProducerEpoch => BinaryPrimitives.ReadInt16BigEndian(_bytes[ProducerEpochOffset..]);
    public int BaseSequence => BinaryPrimitives.ReadInt32BigEndian(_bytes[BaseSequenceOffset..]);
    public int RecordsCount => BinaryPrimitives.ReadInt32BigEndian(_bytes[RecordsCountOffset..]);

    public CompressionType Compression => (CompressionType)((int)Attributes & 0x7);
    public bool IsTransactional => (Attributes & RecordBatchAttributes.Transactional) != 0;
    public bool IsControl => (Attributes & RecordBatchAttributes.Control) != 0;
    public bool IsLogAppendTime => (Attributes & RecordBatchAttributes.LogAppendTime) != 0;
    /// <summary>Bit 6: baseTimestamp holds the delete horizon rather than the first record's timestamp.</summary>
    public bool HasDeleteHorizon => (Attributes & RecordBatchAttributes.DeleteHorizon) != 0;

    /// <summary>Sets the broker-assigned base offset; not covered by the CRC.</summary>
    public static void SetBaseOffset(Span<byte> batch, long baseOffset) =>
        BinaryPrimitives.WriteInt64BigEndian(batch[BaseOffsetOffset..], baseOffset);

    /// <summary>Sets the leader epoch the broker appended under; not covered by the CRC.</summary>
    public static void SetPartitionLeaderEpoch(Span<byte> batch, int epoch) =>
        BinaryPrimitives.WriteInt32BigEndian(batch[PartitionLeaderEpochOffset..], epoch);

    /// <summary>The CRC-32C the header should hold: over bytes [21, end) of <paramref name="batch"/> (exactly one batch).</summary>
    public static uint ComputeCrc(ReadOnlySpan<byte> batch) => Crc32C.Compute(batch[CrcCoverageStart..]);

    /// <summary>Recomputes and stores the CRC after a change to bytes it covers.</summary>
    public static void WriteCrc(Span<byte> batch) =>
        BinaryPrimitives.WriteUInt32BigEndian(batch[CrcOffset..], ComputeCrc(batch));

    /// <summary>
    /// Marks the batch LogAppendTime (attribute bit 3) with <paramref name="appendTime"/> as its
    /// maxTimestamp, which readers then use for every record, and recomputes the CRC.
    /// <paramref name="batch"/> must be exactly one whole batch.
    /// </summary>
    public static void SetLogAppendTime(Span<byte> batch, long appendTime)
    {
        short attributes = BinaryPrimitives.ReadInt16BigEndian(batch[AttributesOffset..]);
        BinaryPrimitives.WriteInt16BigEndian(batch[AttributesOffset..], (short)(attributes | (short)RecordBatchAttributes.LogAppendTime));
        BinaryPrimitives.WriteInt64BigEndian(batch[MaxTimestampOffset..], appendTime);
        WriteCrc(batch);
    }
}

/// <summary>Attribute bits of a v2 record batch (FACTS.md §5).</summary>
[Flags]
public enum RecordBatchAttributes : short
{
    None = 0,
    CompressionMask = 0x7,
    LogAppendTime = 1 << 3,
    Transactional = 1 << 4,
    Control = 1 << 5,
    DeleteHorizon = 1 << 6,
}

/// <summary>Compression codec ids as they appear in attribute bits 0-2.</summary>
public enum CompressionType : byte
{
    None = 0,
    Gzip = 1,
    Snappy = 2,
    Lz4 = 3,
    Zstd = 4,
}
