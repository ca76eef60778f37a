namespace Brook.Storage;

public sealed partial class PartitionLog
{
    // A log's append rate is measured over periods of at least this long (ms) for the window policy.
    private const long AppendRatePeriodMs = 100;

    private bool _zeroWindowWanted;
    private bool _appendRateHigh;
    private long _appendRatePeriodStartMs = -1;
    private long _appendRatePeriodBytes;

    /// <summary>Per segment, oldest first: written zero bytes ahead of its appends (the zero window); for tests.</summary>
    internal long[] SegmentZeroWindowBytes => Array.ConvertAll(Volatile.Read(ref _segments), segment => segment.ZeroWindowBytes);

    /// <summary>
    /// After an append (caller holds the append lock): when the active segment's zero window is
    /// below half and the log appends slowly enough (<see cref="LogOptions.ZeroWindowMaxBytesPerSecond"/>:
    /// past it bandwidth, not fsync latency, is what counts, and zero-filling would write every
    /// byte twice), asks for it to be extended off the append path: with a flusher (a broker) by
    /// the flusher's zero-window thread, without one (tests, tools) by the next
    /// <see cref="Flush"/>, after its fsync.
    /// </summary>
    private void NoteZeroWindow(LogSegment active, int appendedBytes, long nowMs)
    {
        TrackAppendRate(appendedBytes, nowMs);
        if (_appendRateHigh || _zeroWindowWanted || !active.NeedsZeroWindow(_options.ZeroWindowBytes))
        {
            return;
        }
        Volatile.Write(ref _zeroWindowWanted, true);
        _options.Flusher?.EnqueueZeroWindow(this);
    }

    /// <summary>Without a flusher the flush pass extends the window (after releasing its waiters); with one, the flusher's zero-window thread does.</summary>
    private void ExtendZeroWindowWithoutFlusher()
    {
        if (_options.Flusher is null)
        {
            ExtendZeroWindow();
        }
    }

    /// <summary>
    /// Extends the active segment's zero window if an append asked for it: writes the zeros under
    /// the append lock (so no append lands in them meanwhile), then fdatasyncs them outside it.
    /// A failed fdatasync takes the log offline as a failed flush does: the error may have cost
    /// appended pages too, and a later fsync would not report it again.
    /// </summary>
    internal void ExtendZeroWindow()
    {
        if (!Volatile.Read(ref _zeroWindowWanted))
        {
            return;
        }
        LogSegment active;
        lock (_appendLock)
        {
            Volatile.Write(ref _zeroWindowWanted, false);
            active = _end.Active;
            if (_closed || IsOfflineForWrites || !active.TryWriteZeroWindow(_options.ZeroWindowBytes) || !active.TryAcquire())
            {
                return;
            }
        }
        try
        {
            active.SyncZeroWindow();
        }
        catch (IOException e)
        {
            GoOffline(e);
        }
        finally
        {
            active.Release();
        }
    }

    /// <summary>Measures the append rate over periods of at least <see cref="AppendRatePeriodMs"/>; the last whole period decides. Caller holds the append lock.</summary>
    private void TrackAppendRate(int appendedBytes, long nowMs)
    {
        if (_appendRatePeriodStartMs < 0)
        {
            _appendRatePeriodStartMs = nowMs;
        }
        _appendRatePeriodBytes += appendedBytes;
        long elapsed = nowMs - _appendRatePeriodStartMs;
        if (elapsed >= AppendRatePeriodMs)
        {
            _appendRateHigh = _appendRatePeriodBytes * 1000 / elapsed > _options.ZeroWindowMaxBytesPerSecond;
            _appendRatePeriodStartMs = nowMs;
            _appendRatePeriodBytes = 0;
        }
    }
}
