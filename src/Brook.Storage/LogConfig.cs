namespace Brook.Storage;

/// <summary>How a log stamps batch timestamps (Kafka's <c>message.timestamp.type</c>).</summary>
public enum TimestampType
{
    CreateTime,
    LogAppendTime,
}

/// <summary>
/// Per-topic log settings under Kafka's names and with Kafka's defaults. Durations are in
/// milliseconds and sizes in bytes, as in the topic configs they come from; -1 means unlimited
/// where Kafka says so.
/// </summary>
public sealed record LogConfig
{
    public static LogConfig Default { get; } = new();

    /// <summary><c>segment.bytes</c>: roll the active segment before it would exceed this.</summary>
    public int SegmentBytes { get; init; } = 1024 * 1024 * 1024;

    /// <summary><c>segment.ms</c>: roll a non-empty active segment this long after its first append.</summary>
    public long SegmentMs { get; init; } = 7L * 24 * 60 * 60 * 1000;

    /// <summary><c>segment.index.bytes</c>: most bytes one segment's offset index may hold; rolls when full.</summary>
    public int SegmentIndexBytes { get; init; } = 10 * 1024 * 1024;

    /// <summary><c>index.interval.bytes</c>: log bytes between two offset index entries.</summary>
    public int IndexIntervalBytes { get; init; } = 4096;

    /// <summary><c>retention.ms</c>: delete closed segments whose newest timestamp is older; -1 keeps forever.</summary>
    public long RetentionMs { get; init; } = 7L * 24 * 60 * 60 * 1000;

    /// <summary><c>retention.bytes</c>: delete closed segments from the head while the log is larger; -1 is unlimited.</summary>
    public long RetentionBytes { get; init; } = -1;

    /// <summary><c>cleanup.policy</c> contains <c>delete</c>.</summary>
    public bool CleanupDelete { get; init; } = true;

    /// <summary><c>cleanup.policy</c> contains <c>compact</c>.</summary>
    public bool CleanupCompact { get; init; }

    /// <summary><c>flush.messages</c>: fsync after this many unflushed messages.</summary>
    public long FlushMessages { get; init; } = long.MaxValue;

    /// <summary><c>flush.ms</c>: fsync when the oldest unflushed append is this old.</summary>
    public long FlushMs { get; init; } = long.MaxValue;

    /// <summary><c>message.timestamp.type</c>.</summary>
    public TimestampType MessageTimestampType { get; init; } = TimestampType.CreateTime;

    /// <summary><c>delete.retention.ms</c>: how long compaction keeps tombstones.</summary>
    public long DeleteRetentionMs { get; init; } = 24L * 60 * 60 * 1000;

    /// <summary><c>min.cleanable.dirty.ratio</c>: compact once this share of the cleanable bytes is dirty.</summary>
    public double MinCleanableDirtyRatio { get; init; } = 0.5;

    /// <summary><c>min.compaction.lag.ms</c>: a record stays uncompacted at least this long.</summary>
    public long MinCompactionLagMs { get; init; }

    /// <summary>
    /// Brook's durability default: an <c>acks=all</c> produce is answered only once the batch is
    /// fsync'd (Redpanda's choice). False gives Kafka's behaviour (acknowledge from page cache).
    /// </summary>
    public bool FlushBeforeAcknowledge { get; init; } = true;

    /// <summary>Parses a Kafka <c>cleanup.policy</c> value ("delete", "compact" or "compact,delete").</summary>
    public LogConfig WithCleanupPolicy(string policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        bool compact = false;
        bool delete = false;
        foreach (var part in policy.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == "compact")
            {
                compact = true;
            }
            else if (part == "delete")
            {
                delete = true;
            }
            else
            {
                throw new ArgumentException($"unknown cleanup.policy '{part}'", nameof(policy));
            }
        }
        return this with { CleanupCompact = compact, CleanupDelete = delete };
    }

    internal void Validate()
    {
        if (SegmentBytes < 128)
        {
            throw new ArgumentException("segment.bytes must be at least 128");
        }
        if (SegmentIndexBytes < 16 || IndexIntervalBytes < 0)
        {
            throw new ArgumentException("segment.index.bytes must be at least 16 and index.interval.bytes non-negative");
        }
    }
}
