namespace Brook.Protocol.Records;

/// <summary>Batch-level fields for <see cref="RecordBatchBuilder"/>; the defaults are a plain, non-idempotent producer's.</summary>
public sealed class RecordBatchOptions
{
    public long BaseOffset { get; init; }
    public int PartitionLeaderEpoch { get; init; } = -1;
    public long ProducerId { get; init; } = -1;
    public short ProducerEpoch { get; init; } = -1;
    public int BaseSequence { get; init; } = -1;
    public CompressionType Compression { get; init; } = CompressionType.None;
    public bool IsTransactional { get; init; }
    public bool IsControl { get; init; }
    /// <summary>When set, the batch is LogAppendTime (attribute bit 3) with this maxTimestamp.</summary>
    public long? LogAppendTime { get; init; }
    /// <summary>When set, attribute bit 6 is set and baseTimestamp holds this horizon (compaction).</summary>
    public long? DeleteHorizon { get; init; }
    /// <summary>Overrides lastOffsetDelta, for a compacted batch whose last records were removed.</summary>
    public int? LastOffsetDelta { get; init; }

    public static RecordBatchOptions Default { get; } = new();
}

/// <summary>A header to write: UTF-8 key bytes and a value, which may be null.</summary>
public readonly struct RecordHeaderData
{
    public RecordHeaderData(ReadOnlyMemory<byte> key, ReadOnlyMemory<byte> value)
    {
        Key = key;
        Value = value;
        ValueIsNull = false;
    }

    private RecordHeaderData(ReadOnlyMemory<byte> key)
    {
        Key = key;
        Value = default;
        ValueIsNull = true;
    }

    public ReadOnlyMemory<byte> Key { get; }
    public ReadOnlyMemory<byte> Value { get; }
    public bool ValueIsNull { get; }

    public static RecordHeaderData WithNullValue(ReadOnlyMemory<byte> key) => new(key);
}
