using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Brook.Storage;

/// <summary>Process-wide services a partition log uses; the same for every log of a data dir.</summary>
public sealed record LogOptions
{
    public TimeProvider Time { get; init; } = TimeProvider.System;

    public ILogger Logger { get; init; } = NullLogger.Instance;

    /// <summary>The shared group-commit flusher; without one, waiting for durability flushes on the caller's thread.</summary>
    public LogFlusher? Flusher { get; init; }

    /// <summary>
    /// With a flusher, for <see cref="PartitionLog.WaitForFlushAsync(long, CancellationToken)"/>:
    /// a waiter that finds no flush running fsyncs on its own thread and releases everyone waiting
    /// behind it (leader group commit, no thread hand-off; for dedicated threads, not the thread
    /// pool); false sends every flush to the flusher's workers so callers never block on fsync.
    /// </summary>
    public bool FlushOnWaitingThread { get; init; } = true;

    /// <summary>
    /// When true (a single replica) the high watermark follows the log end offset on every
    /// append. Replication sets false and moves it with <see cref="PartitionLog.UpdateHighWatermark"/>.
    /// </summary>
    public bool HighWatermarkFollowsLogEnd { get; init; } = true;

    /// <summary>
    /// Bytes of zeros the active segment keeps written and fdatasync'd ahead of its appends, so
    /// that an append plus fdatasync overwrites blocks instead of growing the file (no journal
    /// commit on ext4; docs/storage.md, "Zero window"); 0 turns it off.
    /// </summary>
    public int ZeroWindowBytes { get; init; } = DefaultZeroWindowBytes;

    /// <summary>
    /// A log appending faster than this (bytes per second, over the last 100 ms) extends no zero
    /// window: at such rates bandwidth, not fsync latency, bounds it, and zero-filling would write
    /// every byte twice.
    /// </summary>
    public long ZeroWindowMaxBytesPerSecond { get; init; } = DefaultZeroWindowMaxBytesPerSecond;

    /// <summary>The default of <see cref="ZeroWindowBytes"/>, for the settings that carry it up to the broker.</summary>
    public const int DefaultZeroWindowBytes = 4 * 1024 * 1024;

    /// <summary>The default of <see cref="ZeroWindowMaxBytesPerSecond"/>.</summary>
    public const long DefaultZeroWindowMaxBytesPerSecond = 4L * 1024 * 1024;
}
