using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Brook.Storage;

/// <summary>
/// All partition logs of one data directory: opens them at start-up (in parallel, recovering
/// as needed), creates and deletes them, shares one group-commit <see cref="LogFlusher"/>, and
/// runs retention, compaction, <c>flush.ms</c> and recovery checkpoints in the background. A
/// clean <see cref="DisposeAsync"/> writes checkpoints so the next start skips recovery scans.
/// </summary>
public sealed class LogManager : IAsyncDisposable
{
    private const string DeletedDirectorySuffix = "-delete";
    private const string StrayDirectorySuffix = "-stray";

    private readonly LogManagerOptions _options;
    private readonly ILogger _logger;
    private readonly LogOptions _logOptions;
    private readonly ConcurrentDictionary<TopicPartition, PartitionLog> _logs = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lifecycleLock = new();
    private Task _background = Task.CompletedTask;
    private bool _disposed;

    private LogManager(LogManagerOptions options)
    {
        _options = options;
        _logger = options.LoggerFactory?.CreateLogger("Brook.Storage") ?? NullLogger.Instance;
        Flusher = new LogFlusher(_logger);
        _logOptions = new LogOptions
        {
            Time = options.Time,
            Logger = _logger,
            Flusher = Flusher,
            HighWatermarkFollowsLogEnd = options.HighWatermarkFollowsLogEnd,
            ZeroWindowBytes = options.ZeroWindowBytes,
            ZeroWindowMaxBytesPerSecond = options.ZeroWindowMaxBytesPerSecond,
        };
    }

    public string DataDirectory => _options.DataDirectory;

    public LogFlusher Flusher { get; }

    public IReadOnlyDictionary<TopicPartition, PartitionLog> Logs => _logs;

    /// <summary>Opens every partition directory under the data directory and starts the background tasks.</summary>
    public static LogManager Open(LogManagerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Directory.CreateDirectory(options.DataDirectory);
        var manager = new LogManager(options);
        manager.LoadAll();
        if (options.RunBackgroundTasks)
        {
            manager._background = manager.RunBackgroundAsync(manager._stop.Token);
        }
        return manager;
    }

    public bool TryGetLog(TopicPartition partition, out PartitionLog log) => _logs.TryGetValue(partition, out log!);

    /// <summary>The partition's log, created empty if it does not exist yet.</summary>
    public PartitionLog GetOrCreateLog(TopicPartition partition, LogConfig? config = null)
    {
        lock (_lifecycleLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_logs.TryGetValue(partition, out var existing))
            {
                if (config is not null)
                {
                    existing.UpdateConfig(config);
                }
                return existing;
            }
            var log = PartitionLog.Open(Path.Combine(DataDirectory, partition.DirectoryName), config ?? _options.DefaultConfig, _logOptions);
            _logs[partition] = log;
            return log;
        }
    }

    /// <summary>
    /// The partition's log for the topic incarnation <paramref name="topicId"/>, created empty if
    /// it does not exist yet. The directory records the id it belongs to (<c>partition.metadata</c>;
    /// one without it is adopted). A directory that records another id holds data of an earlier
    /// topic of the same name that a deletion did not remove: it is set aside as
    /// <c>&lt;name&gt;.&lt;guid&gt;-stray</c> (kept for an operator, never loaded) and a fresh log is created.
    /// </summary>
    public PartitionLog ClaimLog(TopicPartition partition, string topicId, LogConfig? config = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(topicId);
        lock (_lifecycleLock)
        {
            PartitionLog log = GetOrCreateLog(partition, config);
            string? owner = Files.PartitionOwner.Read(log.Directory);
            if (owner == topicId)
            {
                return log;
            }
            if (owner is not null)
            {
                _logs.TryRemove(partition, out _);
                string stray = MoveAside(partition, log, StrayDirectorySuffix);
                LogMessages.StrayDirectorySetAside(_logger, partition.ToString(), owner, topicId, stray);
                log = GetOrCreateLog(partition, config);
            }
            Files.PartitionOwner.Write(log.Directory, topicId);
            return log;
        }
    }

    /// <summary>Closes the partition's log and removes its directory (renamed first, so a crash leaves no half-deleted log behind).</summary>
    public bool DeleteLog(TopicPartition partition)
    {
        lock (_lifecycleLock)
        {
            if (!_logs.TryRemove(partition, out var log))
            {
                return false;
            }
            Directory.Delete(MoveAside(partition, log, DeletedDirectorySuffix), recursive: true);
            return true;
        }
    }

    /// <summary>Closes a log already taken out of the map and renames its directory to <c>&lt;name&gt;.&lt;guid&gt;&lt;suffix&gt;</c>, durably; returns the new path. Caller holds the lifecycle lock.</summary>
    private string MoveAside(TopicPartition partition, PartitionLog log, string suffix)
    {
        log.Dispose();
        string aside = Path.Combine(DataDirectory, string.Create(CultureInfo.InvariantCulture, $"{partition.DirectoryName}.{Guid.NewGuid():N}{suffix}"));
        Directory.Move(log.Directory, aside);
        Files.Durable.SyncDirectory(DataDirectory);
        return aside;
    }

    /// <summary>One retention pass over every log; returns the segments deleted.</summary>
    public int RunRetention()
    {
        int deleted = 0;
        foreach (var log in _logs.Values)
        {
            deleted += Guard(log, "retention", static l => l.DeleteExpiredSegments());
        }
        return deleted;
    }

    /// <summary>One compaction pass over the compacted logs; returns the segments rewritten.</summary>
    public int RunCompaction()
    {
        int rewritten = 0;
        foreach (var log in _logs.Values)
        {
            rewritten += Guard(log, "compaction", static l => l.Compact().SegmentsRewritten);
        }
        return rewritten;
    }

    /// <summary>Queues logs whose oldest unflushed append is older than their <c>flush.ms</c>.</summary>
    public void RunFlushPolicy()
    {
        long now = _options.Time.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var log in _logs.Values)
        {
            long first = log.FirstUnflushedAppendMs;
            long flushMs = log.Config.FlushMs;
            if (first >= 0 && flushMs != long.MaxValue && now - first >= flushMs)
            {
                Flusher.Enqueue(log);
            }
        }
    }

    /// <summary>Writes every log's recovery checkpoint.</summary>
    public void CheckpointAll()
    {
        foreach (var log in _logs.Values)
        {
            Guard(log, "checkpoint", static l =>
            {
                l.Checkpoint();
                return 0;
            });
        }
    }

    /// <summary>Clean shutdown: stops the background tasks, flushes and closes every log with a clean checkpoint.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_lifecycleLock)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
        }
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _background.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
        await Flusher.DisposeAsync().ConfigureAwait(false);
        Parallel.ForEach(_logs.Values, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _options.RecoveryParallelism) }, static log => log.Dispose());
        _logs.Clear();
        _stop.Dispose();
    }

    private void LoadAll()
    {
        var partitions = new List<(TopicPartition Partition, string Path)>();
        foreach (string path in Directory.EnumerateDirectories(DataDirectory))
        {
            string name = Path.GetFileName(path);
            if (name.EndsWith(DeletedDirectorySuffix, StringComparison.Ordinal))
            {
                Directory.Delete(path, recursive: true); // a deletion a crash interrupted
                continue;
            }
            if (TopicPartition.TryParseDirectoryName(name, out var partition))
            {
                partitions.Add((partition, path));
            }
        }
        Parallel.ForEach(partitions, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _options.RecoveryParallelism) }, entry =>
        {
            var config = _options.ConfigFor?.Invoke(entry.Partition) ?? _options.DefaultConfig;
            _logs[entry.Partition] = PartitionLog.Open(entry.Path, config, _logOptions);
        });
    }

    private async Task RunBackgroundAsync(CancellationToken cancellationToken)
    {
        var tick = Min(Min(_options.FlushCheckInterval, _options.RetentionCheckInterval), Min(_options.CleanerInterval, _options.CheckpointInterval));
        using var timer = new PeriodicTimer(tick, _options.Time);
        var nextRetention = _options.Time.GetUtcNow() + _options.RetentionCheckInterval;
        var nextCleaning = _options.Time.GetUtcNow() + _options.CleanerInterval;
        var nextCheckpoint = _options.Time.GetUtcNow() + _options.CheckpointInterval;
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            var now = _options.Time.GetUtcNow();
            RunFlushPolicy();
            if (now >= nextRetention)
            {
                RunRetention();
                nextRetention = now + _options.RetentionCheckInterval;
            }
            if (now >= nextCleaning)
            {
                RunCompaction();
                nextCleaning = now + _options.CleanerInterval;
            }
            if (now >= nextCheckpoint)
            {
                CheckpointAll();
                nextCheckpoint = now + _options.CheckpointInterval;
            }
        }
    }

    private int Guard(PartitionLog log, string task, Func<PartitionLog, int> action)
    {
        try
        {
            return action(log);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            LogMessages.BackgroundTaskFailed(_logger, log.Directory, task, e);
            return 0;
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
