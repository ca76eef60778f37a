using Brook.Protocol.Records;
using Brook.Storage.Batches;
using Brook.Storage.Files;
using Brook.Storage.Index;
using Brook.Storage.Transactions;
using Microsoft.Win32.SafeHandles;


namespace Brook.Storage;

/// <summary>
/// One segment of a partition log: the <c>.log</c> file of whole batches starting at
/// <see cref="BaseOffset"/>, its offset index and time index. Appends come from the owning log
/// under its append lock; reads come from any thread and are bounded by a size the log
/// published (docs/log-invariants.md). The segment is reference counted so that a reader
/// holding a slice keeps the file handle open while retention or compaction replaces it.
/// </summary>
internal sealed class LogSegment
{
    private readonly SafeFileHandle _log;
    private readonly int _indexIntervalBytes;
    private int _refCount = 1;
    private int _size;
    private int _bytesSinceIndexEntry;
    private readonly int _segmentBytes;
    private long _reservedTo; // blocks past the end reserved by preallocation in this process (0: none)
    private bool _reserveFailed;
    private long _zeroedTo; // end of the zeros written ahead of the appends (the file's length while above Size; 0: none)
    private bool _zeroFillFailed;

    private LogSegment(string directory, long baseOffset, LogConfig config, bool create)
    {
        Directory = directory;
        BaseOffset = baseOffset;
        LogPath = SegmentFileNames.LogFile(directory, baseOffset);
        _indexIntervalBytes = config.IndexIntervalBytes;
        _segmentBytes = config.SegmentBytes;
        _log = File.OpenHandle(LogPath, create ? FileMode.Create : FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        OffsetIndex = new OffsetIndex(SegmentFileNames.IndexFile(directory, baseOffset), baseOffset, config.SegmentIndexBytes, create);
        TimeIndex = new TimeIndex(SegmentFileNames.TimeIndexFile(directory, baseOffset), baseOffset, config.SegmentIndexBytes, create);
        TransactionIndex = new TransactionIndex(SegmentFileNames.TransactionIndexFile(directory, baseOffset));
        NextOffset = baseOffset;
    }

    public string Directory { get; }

    public long BaseOffset { get; }

    public string LogPath { get; }

    public SafeFileHandle Handle => _log;

    public OffsetIndex OffsetIndex { get; }

    public TimeIndex TimeIndex { get; }

    /// <summary>Aborted transactions whose ABORT marker lies in this segment.</summary>
    public TransactionIndex TransactionIndex { get; }

    /// <summary>Bytes of whole batches in the file. For the active segment readers use the log's published size instead.</summary>
    public int Size => Volatile.Read(ref _size);

    /// <summary>One past the last offset in this segment (its base offset while empty).</summary>
    public long NextOffset { get; private set; }

    /// <summary>Largest batch max-timestamp in the segment; -1 while empty.</summary>
    public long MaxTimestamp { get; private set; } = -1;

    /// <summary>Base offset of the first batch that reached <see cref="MaxTimestamp"/>.</summary>
    public long OffsetOfMaxTimestamp { get; private set; } = -1;

    /// <summary>Clock time (ms) of the first append into this segment in this process, for <c>segment.ms</c>.</summary>
    public long FirstAppendMs { get; set; } = -1;

    public bool IsSealed { get; private set; }

    public static LogSegment Create(string directory, long baseOffset, LogConfig config)
    {
        var segment = new LogSegment(directory, baseOffset, config, create: true);
        RandomAccess.SetLength(segment._log, 0);
        segment.OffsetIndex.InitialiseEmpty();
        segment.TimeIndex.InitialiseEmpty();
        segment.TransactionIndex.Reset();
        return segment;
    }

    public static LogSegment Open(string directory, long baseOffset, LogConfig config) => new(directory, baseOffset, config, create: false);

    /// <summary>
    /// Loads a segment that a clean shutdown (or an earlier flush) left consistent: trusts the
    /// file length and the indexes if they look sane, else rebuilds them from the batches.
    /// <paramref name="nextSegmentBase"/> is -1 for the last segment, whose end is found by a
    /// short scan from its last index entry.
    /// </summary>
    public void LoadTrusted(long nextSegmentBase)
    {
        long length = RandomAccess.GetLength(_log);
        _size = checked((int)length);
        _zeroedTo = 0;
        bool active = nextSegmentBase < 0;
        long offsetLimit = active ? int.MaxValue : nextSegmentBase - BaseOffset;
        bool indexesUsable = OffsetIndex.TryLoad(Math.Max(1, length), keepInMemory: active)
            && TimeIndex.TryLoad(Math.Max(1, offsetLimit), keepInMemory: active)
            && (active || length == 0 || TimeIndex.Count > 0); // sealing always leaves a final time entry
        if (!indexesUsable)
        {
            Rebuild(verifyCrc: false);
            if (!active)
            {
                Seal();
            }
            return;
        }
        (MaxTimestamp, OffsetOfMaxTimestamp) = TimeIndex.LastEntry();
        if (active)
        {
            // The tail after the last index entry is at most index.interval.bytes plus one batch.
            var (offset, position) = OffsetIndex.Lookup(long.MaxValue);
            NextOffset = offset;
            if (ScanForState(position) != length)
            {
                // Bytes after the last whole batch (a zero tail a clean close should have cut): find the end by validating.
                Rebuild(verifyCrc: true);
            }
        }
        else
        {
            NextOffset = nextSegmentBase;
            IsSealed = true;
        }
    }

    /// <summary>
    /// Recovery: walks every batch (checking CRCs when asked), rebuilds both indexes and cuts the
    /// file after the last whole valid batch. Returns what was cut: only zeros (the zero window
    /// an unclean stop left) is not damage.
    /// </summary>
    public RecoveryCut Rebuild(bool verifyCrc)
    {
        long length = RandomAccess.GetLength(_log);
        OffsetIndex.InitialiseEmpty();
        TimeIndex.InitialiseEmpty();
        NextOffset = BaseOffset;
        MaxTimestamp = -1;
        OffsetOfMaxTimestamp = -1;
        _bytesSinceIndexEntry = 0;
        long validEnd = 0;
        using (var scanner = new SegmentScanner(_log, 0, length, verifyCrc))
        {
            while (scanner.MoveNext())
            {
                var header = new RecordBatchHeader(scanner.Current);
                if (header.BaseOffset < NextOffset || header.LastOffset - BaseOffset > int.MaxValue)
                {
                    break; // offsets must grow within a segment; anything else is damage
                }
                TrackBatch(header, (int)scanner.Position);
                validEnd = scanner.Position + scanner.CurrentSize;
            }
        }
        bool zeroTail = validEnd < length && ZeroFill.IsZeroToEnd(_log, validEnd);
        if (validEnd < length)
        {
            RandomAccess.SetLength(_log, validEnd);
        }
        _size = (int)validEnd;
        _zeroedTo = 0;
        return new RecoveryCut(length - validEnd, Damaged: validEnd < length && !zeroTail);
    }

    /// <summary>
    /// True when <paramref name="incomingBytes"/> more bytes, ending at <paramref name="lastOffset"/>,
    /// should go to a new segment instead (segment.bytes, segment.ms, a full index, or offsets
    /// that no longer fit the indexes' 32-bit relative form).
    /// </summary>
    public bool ShouldRoll(LogConfig config, int incomingBytes, long lastOffset, long nowMs)
    {
        int size = _size;
        if (size == 0)
        {
            return false;
        }
        return (long)size + incomingBytes > config.SegmentBytes
            || OffsetIndex.IsFull
            || TimeIndex.IsFull
            || lastOffset - BaseOffset > int.MaxValue
            || (FirstAppendMs >= 0 && nowMs - FirstAppendMs >= config.SegmentMs);
    }

    /// <summary>Writes whole batches at the end of the file and indexes them. Throws <see cref="IOException"/> on a failed write, leaving the published size unchanged.</summary>
    public void Append(ReadOnlySpan<byte> batches, long nowMs)
    {
        int position = _size;
        if (position + batches.Length > Math.Max(_reservedTo, _zeroedTo) && !_reserveFailed)
        {
            Reserve(position, position + batches.Length);
        }
        RandomAccess.Write(_log, batches, position);
        if (FirstAppendMs < 0)
        {
            FirstAppendMs = nowMs;
        }
        int at = 0;
        while (at < batches.Length)
        {
            var header = new RecordBatchHeader(batches[at..]);
            TrackBatch(header, position + at);
            at += header.TotalSize;
        }
        Volatile.Write(ref _size, position + batches.Length);
    }

    /// <summary>Position and size of the first batch holding an offset at or after <paramref name="offset"/>, searching below <paramref name="limit"/>; -1 when none.</summary>
    public int FindBatch(long offset, int limit, out int batchSize)
    {
        int position = OffsetIndex.Lookup(offset).Position;
        Span<byte> header = stackalloc byte[RecordBatchHeader.Size];
        while (position < limit)
        {
            if (!TryReadHeader(position, header))
            {
                break;
            }
            var view = new RecordBatchHeader(header);
            if (view.LastOffset >= offset)
            {
                batchSize = view.TotalSize;
                return position;
            }
            position += view.TotalSize;
        }
        batchSize = 0;
        return -1;
    }

    /// <summary>
    /// The end of the whole batches from <paramref name="start"/> (a batch start) that fit below
    /// <paramref name="limit"/>, and one past the last offset they hold (<paramref name="start"/>
    /// itself and <paramref name="startOffset"/> when none fits). Starts from the index entry
    /// nearest below the limit, so it reads a few batch headers, not one per batch of the range.
    /// </summary>
    public int WholeBatchesEnd(int start, int limit, long startOffset, out long endOffset)
    {
        if (OffsetIndex.TryFindFloorByValue(limit, out _, out int indexed) && indexed > start
            && TryScanWholeBatches(indexed, limit, out int end, out endOffset))
        {
            return end;
        }
        return TryScanWholeBatches(start, limit, out end, out endOffset) ? end : NoWholeBatch(start, startOffset, out endOffset);
    }

    private static int NoWholeBatch(int start, long startOffset, out long endOffset)
    {
        endOffset = startOffset;
        return start;
    }

    /// <summary>Walks batch headers from <paramref name="position"/>; false when not even the first header there can be read.</summary>
    private bool TryScanWholeBatches(int position, int limit, out int end, out long endOffset)
    {
        Span<byte> header = stackalloc byte[RecordBatchHeader.Size];
        bool first = true;
        end = position;
        endOffset = 0;
        while (end < limit && TryReadHeader(end, header))
        {
            var view = new RecordBatchHeader(header);
            if (first)
            {
                endOffset = view.BaseOffset; // nothing fits: the range ends where this batch starts
                first = false;
            }
            if (end + view.TotalSize > limit)
            {
                break;
            }
            endOffset = view.LastOffset + 1;
            end += view.TotalSize;
        }
        return !first;
    }

    /// <summary>The first record offset whose timestamp is at least <paramref name="timestamp"/>, or -1.</summary>
    public TimestampOffset FindOffsetByTimestamp(long timestamp, int limit)
    {
        var (_, startOffset) = TimeIndex.Lookup(timestamp);
        int position = OffsetIndex.Lookup(startOffset).Position;
        using var scanner = new SegmentScanner(_log, position, limit, verifyCrc: false, chunkSize: 64 * 1024);
        while (scanner.MoveNext())
        {
            var header = new RecordBatchHeader(scanner.Current);
            if (header.MaxTimestamp < timestamp)
            {
                continue;
            }
            if (header.Compression != CompressionType.None || header.IsLogAppendTime || header.IsControl)
            {
                return new TimestampOffset(header.MaxTimestamp, header.BaseOffset); // records are not read inside compressed batches (docs/storage.md)
            }
            foreach (var record in new RecordEnumerator(scanner.Current[RecordBatchHeader.Size..], header.RecordsCount))
            {
                long recordTimestamp = record.Timestamp(header);
                if (recordTimestamp >= timestamp)
                {
                    return new TimestampOffset(recordTimestamp, record.Offset(header.BaseOffset));
                }
            }
            return new TimestampOffset(header.MaxTimestamp, header.BaseOffset);
        }
        return TimestampOffset.None;
    }

    /// <summary>The offset of the record carrying <see cref="MaxTimestamp"/> (ListOffsets max-timestamp).</summary>
    public long FindOffsetOfMaxTimestamp(int limit)
    {
        if (MaxTimestamp < 0)
        {
            return -1;
        }
        int position = FindBatch(OffsetOfMaxTimestamp, limit, out _);
        if (position < 0)
        {
            return OffsetOfMaxTimestamp;
        }
        using var scanner = new SegmentScanner(_log, position, limit, verifyCrc: false, chunkSize: 64 * 1024);
        if (!scanner.MoveNext())
        {
            return OffsetOfMaxTimestamp;
        }
        var header = new RecordBatchHeader(scanner.Current);
        if (header.Compression != CompressionType.None || header.IsLogAppendTime)
        {
            return header.LastOffset;
        }
        foreach (var record in new RecordEnumerator(scanner.Current[RecordBatchHeader.Size..], header.RecordsCount))
        {
            if (record.Timestamp(header) == header.MaxTimestamp)
            {
                return record.Offset(header.BaseOffset);
            }
        }
        return header.LastOffset;
    }

    /// <summary>
    /// Removes every batch holding an offset at or after <paramref name="offset"/>; the segment
    /// becomes the active one again. Returns the new end offset: one past the last batch kept
    /// (so a cut inside a compacted gap ends where the data ends, as a restart would find it).
    /// </summary>
    public long TruncateTo(long offset)
    {
        UnsealForAppends();
        int position = FindBatch(offset, Size, out _);
        if (position >= 0)
        {
            Span<byte> header = stackalloc byte[RecordBatchHeader.Size];
            long removedBase = TryReadHeader(position, header) ? new RecordBatchHeader(header).BaseOffset : offset;
            CutBackTo(position);
            Volatile.Write(ref _size, position);
            OffsetIndex.TruncateFrom(removedBase);
            TimeIndex.TruncateFrom(removedBase);
            TransactionIndex.TruncateTo(removedBase);
        }
        NextOffset = BaseOffset;
        (MaxTimestamp, OffsetOfMaxTimestamp) = TimeIndex.LastEntry();
        int lastIndexed = OffsetIndex.Lookup(long.MaxValue).Position;
        int timeIndexed = TimeIndex.Count == 0 ? 0 : OffsetIndex.Lookup(OffsetOfMaxTimestamp).Position;
        _ = ScanForState(Math.Min(lastIndexed, timeIndexed));
        return NextOffset;
    }

    /// <summary>Closes the segment for appends: writes the final time index entry and both indexes.</summary>
    public void Seal()
    {
        if (MaxTimestamp >= 0)
        {
            TimeIndex.MaybeAppend(MaxTimestamp, OffsetOfMaxTimestamp);
        }
        OffsetIndex.Seal();
        TimeIndex.Seal();
        IsSealed = true;
        TrimToSize();
    }

    /// <summary>
    /// fdatasync of the log file (data and size; the file's timestamps need no journal commit);
    /// sealed segments also write and fsync their indexes.
    /// </summary>
    public void Flush(bool includeIndexes)
    {
        Durable.SyncData(_log);
        TransactionIndex.Flush();
        if (includeIndexes || IsSealed)
        {
            OffsetIndex.Persist();
            TimeIndex.Persist();
            OffsetIndex.Sync();
            TimeIndex.Sync();
        }
    }

    public bool TryReadHeader(int position, Span<byte> header)
    {
        int total = 0;
        while (total < header.Length)
        {
            int read = RandomAccess.Read(_log, header[total..], position + total);
            if (read == 0)
            {
                return false;
            }
            total += read;
        }
        return BatchCheck.TryGetSize(header, out _) == BatchStatus.Valid;
    }

    /// <summary>Takes a reference for a reader; false if the segment is already closed.</summary>
    public bool TryAcquire()
    {
        while (true)
        {
            int count = Volatile.Read(ref _refCount);
            if (count == 0)
            {
                return false;
            }
            if (Interlocked.CompareExchange(ref _refCount, count + 1, count) == count)
            {
                return true;
            }
        }
    }

    public void Release()
    {
        if (Interlocked.Decrement(ref _refCount) == 0)
        {
            _log.Dispose();
            OffsetIndex.Dispose();
            TimeIndex.Dispose();
            TransactionIndex.Dispose();
        }
    }

    /// <summary>Unlinks the files (open handles keep working on Linux) and drops the log's reference.</summary>
    public void Delete()
    {
        TryDelete(LogPath);
        TryDelete(OffsetIndex.Path);
        TryDelete(TimeIndex.Path);
        TryDelete(TransactionIndex.Path);
        Release();
    }

    public override string ToString() => $"segment {BaseOffset} ({Size} bytes)";

    /// <summary>Bytes past the end reserved for appends (0 when none); for tests.</summary>
    internal long ReservedBytes => Math.Max(0, _reservedTo - Size);

    /// <summary>
    /// Reserves blocks ahead of the appends (preallocation: appends into allocated blocks cost
    /// less than file-extending writes): as much again as the segment holds, between 1 and 16 MiB
    /// at a time (so idle partitions reserve little), never past <c>segment.bytes</c>.
    /// </summary>
    private void Reserve(int position, int end)
    {
        const int MinimumChunk = 1 << 20;
        const int MaximumChunk = 16 << 20;
        long target = Math.Max(end, Math.Min((long)position + Math.Clamp(position, MinimumChunk, MaximumChunk), _segmentBytes));
        long from = Math.Max(Math.Max(_reservedTo, _zeroedTo), position);
        if (Preallocation.TryReserve(_log, from, target - from))
        {
            _reservedTo = target;
        }
        else
        {
            _reserveFailed = true; // not a regular file on a file system that can (or it is full): append as before
        }
    }

    /// <summary>
    /// Cuts the file to its batches (on seal and clean close): gives back reserved blocks and
    /// drops the zero window. A cut zero window is made durable at once, so an inactive segment's
    /// file holds exactly its batches even after a crash.
    /// </summary>
    public void TrimToSize()
    {
        bool hadZeros = _zeroedTo > Size;
        if (_reservedTo <= Size && !hadZeros)
        {
            return;
        }
        _reservedTo = 0;
        _zeroedTo = 0;
        try
        {
            RandomAccess.SetLength(_log, Size); // truncating to the same size frees blocks past it
        }
        catch (IOException) when (!hadZeros)
        {
            // Only reserved space is at stake; the next open or seal tries again.
        }
        if (hadZeros)
        {
            Durable.SyncData(_log);
        }
    }

    /// <summary>Cuts the file back to <paramref name="size"/> (a truncation, or undoing a failed append): reserved blocks and the zero window go too.</summary>
    public void CutBackTo(int size)
    {
        _zeroedTo = 0;
        _reservedTo = 0;
        RandomAccess.SetLength(_log, size);
    }

    /// <summary>Bytes of written zeros ahead of the appends; for tests.</summary>
    internal long ZeroWindowBytes => Math.Max(0, _zeroedTo - Size);

    /// <summary>
    /// True when fewer than half of the window's zero bytes are left ahead of the appends and the
    /// window can still grow (it never reaches past <c>segment.bytes</c>).
    /// </summary>
    public bool NeedsZeroWindow(int windowBytes) =>
        windowBytes > 0 && !_zeroFillFailed && !IsSealed
        && _zeroedTo - Size < WindowFor(windowBytes) / 2 && ZeroWindowTarget(windowBytes) > Math.Max(_zeroedTo, Size);

    /// <summary>
    /// The window grows with the segment, as much again as it holds between 1 MiB and
    /// <paramref name="windowBytes"/>: a partition that appends little (or a fresh segment, when
    /// every partition starts at once) writes few zeros.
    /// </summary>
    private int WindowFor(int windowBytes) => Math.Min(windowBytes, Math.Max(MinimumZeroWindow, Size));

    private const int MinimumZeroWindow = 1024 * 1024;

    /// <summary>
    /// Writes zeros from the end of the window (or of the batches) to the window's size past the
    /// batches (at most <paramref name="windowBytes"/>). Caller holds the log's append lock, so no append lands in the range
    /// meanwhile; the zeros are in the page cache only until <see cref="SyncZeroWindow"/>.
    /// Returns false when nothing was written; a failure (e.g. disk full) cuts the zeros off and
    /// turns the window off for this segment, appends go on as before.
    /// </summary>
    public bool TryWriteZeroWindow(int windowBytes)
    {
        if (!NeedsZeroWindow(windowBytes))
        {
            return false;
        }
        long from = Math.Max(_zeroedTo, Size);
        long to = ZeroWindowTarget(windowBytes);
        try
        {
            ZeroFill.Write(_log, from, to);
        }
        catch (IOException)
        {
            _zeroFillFailed = true;
            CutBackTo(Size);
            return false;
        }
        _zeroedTo = to;
        return true;
    }

    /// <summary>Makes written zeros durable, so that the appends landing in them change neither the file's size nor its block map.</summary>
    public void SyncZeroWindow() => Durable.SyncData(_log);

    /// <summary>Page-aligned end of the window past the batches, within <c>segment.bytes</c>.</summary>
    private long ZeroWindowTarget(int windowBytes)
    {
        const int Page = 4096;
        long target = ((long)Size + WindowFor(windowBytes) + Page - 1) / Page * Page;
        return Math.Min(target, Math.Max(_segmentBytes, Size));
    }

    private static void TryDelete(string path)
    {
        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }

    private void UnsealForAppends()
    {
        if (IsSealed)
        {
            OffsetIndex.TruncateToCount(OffsetIndex.Count);
            TimeIndex.TruncateToCount(TimeIndex.Count);
            IsSealed = false;
        }
    }

    private void TrackBatch(RecordBatchHeader header, int position)
    {
        if (header.MaxTimestamp > MaxTimestamp)
        {
            MaxTimestamp = header.MaxTimestamp;
            OffsetOfMaxTimestamp = header.BaseOffset;
        }
        if (_bytesSinceIndexEntry >= _indexIntervalBytes && position > 0)
        {
            OffsetIndex.Append(header.BaseOffset, position);
            TimeIndex.MaybeAppend(MaxTimestamp, OffsetOfMaxTimestamp);
            _bytesSinceIndexEntry = 0;
        }
        _bytesSinceIndexEntry += header.TotalSize;
        NextOffset = header.LastOffset + 1;
    }

    /// <summary>Walks headers from <paramref name="position"/> to the end to restore end offset and max timestamp; returns where the whole batches end.</summary>
    private int ScanForState(int position)
    {
        Span<byte> header = stackalloc byte[RecordBatchHeader.Size];
        int size = Size;
        int lastIndexPosition = OffsetIndex.Lookup(long.MaxValue).Position;
        while (position < size && TryReadHeader(position, header))
        {
            var view = new RecordBatchHeader(header);
            if (view.MaxTimestamp > MaxTimestamp)
            {
                MaxTimestamp = view.MaxTimestamp;
                OffsetOfMaxTimestamp = view.BaseOffset;
            }
            NextOffset = Math.Max(NextOffset, view.LastOffset + 1);
            position += view.TotalSize;
        }
        _bytesSinceIndexEntry = size - lastIndexPosition;
        return position;
    }
}

/// <summary>What recovery cut off a segment file: <see cref="Bytes"/> after the last whole batch; <see cref="Damaged"/> unless they were all zeros.</summary>
internal readonly record struct RecoveryCut(long Bytes, bool Damaged);
