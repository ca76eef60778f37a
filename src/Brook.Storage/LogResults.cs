namespace Brook.Storage;

/// <summary>
/// The outcome of an append: the offsets the log assigned, or an error code as data.
/// <see cref="LogAppendTime"/> is -1 unless the topic stamps <c>LogAppendTime</c>.
/// </summary>
public readonly record struct AppendResult(StorageErrorCode Error, long FirstOffset, long LastOffset, long LogAppendTime, long LogStartOffset)
{
    /// <summary>The offset to wait for with <see cref="PartitionLog.WaitForFlushAsync(long, CancellationToken)"/>: one past the last appended.</summary>
    public long EndOffset => LastOffset + 1;

    public bool Succeeded => Error == StorageErrorCode.None;

    internal static AppendResult Failed(StorageErrorCode error, long logStartOffset) => new(error, -1, -1, -1, logStartOffset);
}

/// <summary>A ListOffsets answer: the first offset whose record timestamp qualifies, and that timestamp; -1/-1 when none does.</summary>
public readonly record struct TimestampOffset(long Timestamp, long Offset)
{
    public static TimestampOffset None { get; } = new(-1, -1);
}

/// <summary>The special timestamps of ListOffsets.</summary>
public static class ListOffsetsTimestamp
{
    public const long Latest = -1;
    public const long Earliest = -2;
    public const long MaxTimestamp = -3;
}
