using Microsoft.Extensions.Logging;

namespace Brook.Storage;

/// <summary>Settings of a <see cref="LogManager"/>: the data directory and its background tasks (Kafka's broker-level log.* settings).</summary>
public sealed record LogManagerOptions
{
    public required string DataDirectory { get; init; }

    /// <summary>Config for a partition opened without one (and for existing partitions at start-up unless <see cref="ConfigFor"/> says otherwise).</summary>
    public LogConfig DefaultConfig { get; init; } = LogConfig.Default;

    /// <summary>Per-partition configs known at start-up (from metadata); null means <see cref="DefaultConfig"/>.</summary>
    public Func<TopicPartition, LogConfig?>? ConfigFor { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>Runs retention, compaction, flush.ms and checkpoint tasks in the background; tests call them directly instead.</summary>
    public bool RunBackgroundTasks { get; init; } = true;

    /// <summary><c>log.retention.check.interval.ms</c>.</summary>
    public TimeSpan RetentionCheckInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary><c>log.cleaner.backoff.ms</c>.</summary>
    public TimeSpan CleanerInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary><c>log.flush.offset.checkpoint.interval.ms</c>: how often recovery points are written.</summary>
    public TimeSpan CheckpointInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How often <c>flush.ms</c> is checked (<c>log.flush.scheduler.interval.ms</c>).</summary>
    public TimeSpan FlushCheckInterval { get; init; } = TimeSpan.FromSeconds(1);

    public bool HighWatermarkFollowsLogEnd { get; init; } = true;

    /// <summary>See <see cref="LogOptions.ZeroWindowBytes"/>.</summary>
    public int ZeroWindowBytes { get; init; } = LogOptions.DefaultZeroWindowBytes;

    /// <summary>See <see cref="LogOptions.ZeroWindowMaxBytesPerSecond"/>.</summary>
    public long ZeroWindowMaxBytesPerSecond { get; init; } = LogOptions.DefaultZeroWindowMaxBytesPerSecond;

    /// <summary>Partitions opened in parallel at start-up.</summary>
    public int RecoveryParallelism { get; init; } = Environment.ProcessorCount;
}
