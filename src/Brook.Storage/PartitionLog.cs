using Brook.Storage.Checkpoints;
using Brook.Storage.Files;
using Microsoft.Extensions.Logging;

namespace Brook.Storage;

/// <summary>
/// The durable, segmented log of one partition (docs/storage.md). Appends are serialised by the
/// log; readers never lock: they take the published end (<see cref="LogEnd"/>) and then the
/// segment list, both immutable, so they see whole batches only. Offsets obey
/// docs/log-invariants.md.
/// </summary>
public sealed partial class PartitionLog : IDisposable
{
    private readonly LogOptions _options;
    private readonly ILogger _logger;
    private readonly Lock _appendLock = new();
    private readonly Lock _flushLock = new();
    private readonly Lock _maintenanceLock = new();
    private readonly Lock _checkpointLock = new();
    private LogConfig _config;
    private LogSegment[] _segments;
    private LogEnd _end;
    private long _logStartOffset;
    private long _highWatermark;
    private long _cleanerOffset;
    private bool _checkpointSaysClean;
    private bool _closed;

    private PartitionLog(string directory, LogConfig config, LogOptions options, LogSegment[] segments, long logStartOffset, long cleanerOffset, bool checkpointSaysClean)
    {
        Directory = directory;
        _config = config;
        _options = options;
        _logger = options.Logger;
        _segments = segments;
        var active = segments[^1];
        _end = new LogEnd(active.NextOffset, active, active.Size);
        _logStartOffset = logStartOffset;
        _highWatermark = active.NextOffset;
        _flushedOffset = active.NextOffset;
        _cleanerOffset = cleanerOffset;
        _checkpointSaysClean = checkpointSaysClean;
        EpochCache = new LeaderEpochCache(directory);
        _flushDone = NewFlushSignal();
    }

    /// <summary>The partition directory, <c>&lt;data&gt;/&lt;topic&gt;-&lt;partition&gt;</c>.</summary>
    public string Directory { get; }

    public LogConfig Config => Volatile.Read(ref _config);

    public LeaderEpochCache EpochCache { get; }

    /// <summary>First offset a reader may ask for.</summary>
    public long LogStartOffset => Volatile.Read(ref _logStartOffset);

    /// <summary>One past the last appended offset (written, not necessarily flushed).</summary>
    public long LogEndOffset => Volatile.Read(ref _end).EndOffset;

    /// <summary>Offsets below this are fsync'd. Never above <see cref="LogEndOffset"/>.</summary>
    public long FlushedOffset => Volatile.Read(ref _flushedOffset);

    /// <summary>The base offset of the segment appends go to; it changes when the log rolls.</summary>
    public long ActiveSegmentBaseOffset => Volatile.Read(ref _end).Active.BaseOffset;

    public long HighWatermark => Volatile.Read(ref _highWatermark);

    public int SegmentCount => Volatile.Read(ref _segments).Length;

    /// <summary>Bytes of all segments.</summary>
    public long SizeInBytes
    {
        get
        {
            var end = Volatile.Read(ref _end);
            long total = 0;
            foreach (var segment in Volatile.Read(ref _segments))
            {
                total += segment == end.Active ? end.ActiveSize : segment.Size;
            }
            return total;
        }
    }

    /// <summary>Base offsets of the segments, oldest first.</summary>
    public IReadOnlyList<long> SegmentBaseOffsets
    {
        get
        {
            var segments = Volatile.Read(ref _segments);
            var offsets = new long[segments.Length];
            for (int i = 0; i < segments.Length; i++)
            {
                offsets[i] = segments[i].BaseOffset;
            }
            return offsets;
        }
    }

    /// <summary>True once a write or fsync failed in a way the log cannot undo; appends then fail, reads go on.</summary>
    public bool IsOfflineForWrites => Volatile.Read(ref _offlineForWrites);

    internal long CleanerOffset => Volatile.Read(ref _cleanerOffset);

    internal TimeProvider Time => _options.Time;

    /// <summary>Opens (recovering if needed) or creates the log in <paramref name="directory"/>.</summary>
    public static PartitionLog Open(string directory, LogConfig config, LogOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        options ??= new LogOptions();
        return LogLoader.Load(directory, config, options);
    }

    internal static PartitionLog FromLoaded(string directory, LogConfig config, LogOptions options, LogSegment[] segments, long logStartOffset, long cleanerOffset, bool clean) =>
        new(directory, config, options, segments, logStartOffset, cleanerOffset, clean);

    public void UpdateConfig(LogConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Volatile.Write(ref _config, config);
    }

    /// <summary>Moves the high watermark (replication); clamped to [log start, log end].</summary>
    public void UpdateHighWatermark(long highWatermark)
    {
        lock (_appendLock)
        {
            long clamped = Math.Clamp(highWatermark, LogStartOffset, LogEndOffset);
            Volatile.Write(ref _highWatermark, clamped);
        }
    }

    /// <summary>Writes the recovery checkpoint (the flushed offset) so a crash rescans less.</summary>
    public void Checkpoint()
    {
        lock (_checkpointLock)
        {
            if (!_closed)
            {
                WriteCheckpoint(clean: false);
            }
        }
    }

    /// <summary>Clean shutdown: flushes everything, writes a clean checkpoint, closes files.</summary>
    public void Dispose()
    {
        lock (_maintenanceLock)
        {
            lock (_appendLock)
            {
                lock (_flushLock)
                {
                    if (_closed)
                    {
                        return;
                    }
                    bool healthy = !IsOfflineForWrites;
                    var segments = Volatile.Read(ref _segments);
                    if (healthy)
                    {
                        try
                        {
                            foreach (var segment in segments)
                            {
                                segment.TrimToSize(); // the zero window goes: a closed log's files hold exactly their batches
                                segment.Flush(includeIndexes: true);
                            }
                            Durable.SyncDirectory(Directory);
                            Volatile.Write(ref _flushedOffset, LogEndOffset);
                            SaveTransactionState(LogEndOffset);
                            lock (_checkpointLock)
                            {
                                WriteCheckpoint(clean: true);
                            }
                        }
                        catch (IOException e)
                        {
                            LogMessages.CloseFailed(_logger, Directory, e);
                        }
                    }
                    _closed = true;
                    foreach (var segment in segments)
                    {
                        segment.Release();
                    }
                    CompleteFlushWaiters();
                }
            }
        }
    }

    /// <summary>Per segment, oldest first: disk blocks reserved past its end (preallocation); for tests.</summary>
    internal long[] SegmentReservedBytes => Array.ConvertAll(Volatile.Read(ref _segments), segment => segment.ReservedBytes);

    /// <summary>Tests: drops the log as a killed process would, without flushing, trimming or writing checkpoints.</summary>
    internal void SimulateCrash()
    {
        lock (_appendLock)
        {
            lock (_flushLock)
            {
                if (_closed)
                {
                    return;
                }
                _closed = true;
                foreach (var segment in Volatile.Read(ref _segments))
                {
                    segment.Release();
                }
                CompleteFlushWaiters();
            }
        }
    }

    public override string ToString() => $"log {Directory} [{LogStartOffset}, {LogEndOffset})";

    /// <summary>Before the first change after a clean start the checkpoint must stop saying "clean".</summary>
    private void EnsureCheckpointDirty()
    {
        if (_checkpointSaysClean)
        {
            lock (_checkpointLock)
            {
                WriteCheckpoint(clean: false);
            }
        }
    }

    /// <summary>Caller holds <see cref="_checkpointLock"/>.</summary>
    private void WriteCheckpoint(bool clean)
    {
        new PartitionCheckpoint(LogStartOffset, FlushedOffset, CleanerOffset, clean).Write(Directory);
        _checkpointSaysClean = clean;
    }

    private void PublishSegments(LogSegment[] segments) => Volatile.Write(ref _segments, segments);

    /// <summary>The published end of the log: readers read it first, then the segment list.</summary>
    internal sealed record LogEnd(long EndOffset, LogSegment Active, int ActiveSize);
}
