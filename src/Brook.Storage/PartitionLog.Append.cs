using Brook.Protocol.Records;
using Brook.Storage.Batches;

namespace Brook.Storage;

public sealed partial class PartitionLog
{
    private bool _offlineForWrites;
    private long _unflushedMessages;

    /// <summary>
    /// Leader append: gives the batches (one or more, as a produce request carries them) the next
    /// offsets, stamps <paramref name="leaderEpoch"/> and, for LogAppendTime topics, the append
    /// time, then writes them. The batches were validated by the caller (CRC, producer state);
    /// the log re-checks only their framing. The log end offset moves once, after the write.
    /// </summary>
    public AppendResult Append(Span<byte> batches, int leaderEpoch) => AppendCore(batches, leaderEpoch, assignOffsets: true);

    /// <summary>Replica append: keeps the offsets and epochs the leader gave; they must start at or after the log end.</summary>
    public AppendResult AppendAsFollower(Span<byte> batches) => AppendCore(batches, -1, assignOffsets: false);

    private AppendResult AppendCore(Span<byte> batches, int leaderEpoch, bool assignOffsets)
    {
        int batchCount = CountBatches(batches, out long recordCount);
        if (batchCount <= 0)
        {
            return AppendResult.Failed(StorageErrorCode.CorruptMessage, LogStartOffset);
        }
        lock (_appendLock)
        {
            if (_closed || IsOfflineForWrites)
            {
                return AppendResult.Failed(StorageErrorCode.KafkaStorageError, LogStartOffset);
            }
            var config = Config;
            var end = _end;
            long now = _options.Time.GetUtcNow().ToUnixTimeMilliseconds();
            long logAppendTime = config.MessageTimestampType == TimestampType.LogAppendTime ? now : -1;
            long next = end.EndOffset;
            long firstOffset = -1;
            int at = 0;
            while (at < batches.Length)
            {
                var batch = batches[at..];
                var header = new RecordBatchHeader(batch);
                int size = header.TotalSize;
                if (assignOffsets)
                {
                    RecordBatchHeader.SetBaseOffset(batch, next);
                    if (leaderEpoch >= 0)
                    {
                        RecordBatchHeader.SetPartitionLeaderEpoch(batch, leaderEpoch);
                    }
                    if (logAppendTime >= 0)
                    {
                        RecordBatchHeader.SetLogAppendTime(batch[..size], logAppendTime);
                    }
                }
                else if (header.BaseOffset < next)
                {
                    return AppendResult.Failed(StorageErrorCode.InvalidOffset, LogStartOffset);
                }
                header = new RecordBatchHeader(batch);
                if (firstOffset < 0)
                {
                    firstOffset = header.BaseOffset;
                }
                next = header.LastOffset + 1;
                at += size;
            }

            try
            {
                EnsureCheckpointDirty();
                var active = end.Active;
                if (active.ShouldRoll(config, batches.Length, next - 1, now) || (active.Size == 0 && firstOffset != active.BaseOffset && firstOffset - active.BaseOffset > int.MaxValue))
                {
                    active = Roll(firstOffset, config);
                }
                if (!TryWrite(active, batches, config, now))
                {
                    return AppendResult.Failed(StorageErrorCode.KafkaStorageError, LogStartOffset);
                }
                RecordEpochs(batches, leaderEpoch, firstOffset, assignOffsets);
                TrackTransactions(batches, active);
                Volatile.Write(ref _end, new LogEnd(next, active, active.Size));
                NoteZeroWindow(active, batches.Length, now);
            }
            catch (IOException e)
            {
                GoOffline(e);
                return AppendResult.Failed(StorageErrorCode.KafkaStorageError, LogStartOffset);
            }

            if (_options.HighWatermarkFollowsLogEnd)
            {
                Volatile.Write(ref _highWatermark, next);
            }
            NoteUnflushed(recordCount, now, config);
            return new AppendResult(StorageErrorCode.None, firstOffset, next - 1, logAppendTime, LogStartOffset);
        }
    }

    /// <summary>Writes; on failure cuts the file back so nothing half-written stays (disk full is recoverable).</summary>
    private bool TryWrite(LogSegment active, ReadOnlySpan<byte> batches, LogConfig config, long now)
    {
        int sizeBefore = active.Size;
        try
        {
            active.Append(batches, now);
            return true;
        }
        catch (IOException e)
        {
            LogMessages.AppendFailed(_logger, Directory, e);
            try
            {
                active.CutBackTo(sizeBefore);
            }
            catch (IOException undo)
            {
                GoOffline(undo);
            }
            return false;
        }
    }

    /// <summary>Closes the active segment and starts one at <paramref name="baseOffset"/>. Caller holds the append lock.</summary>
    private LogSegment Roll(long baseOffset, LogConfig config)
    {
        var end = _end;
        end.Active.Seal();
        var segment = LogSegment.Create(Directory, baseOffset, config);
        SaveTransactionState(baseOffset);
        Volatile.Write(ref _directoryDirty, true);
        var segments = Volatile.Read(ref _segments);
        var updated = new LogSegment[segments.Length + 1];
        segments.CopyTo(updated, 0);
        updated[^1] = segment;
        PublishSegments(updated);
        Volatile.Write(ref _end, new LogEnd(end.EndOffset, segment, 0));
        return segment;
    }

    /// <summary>Forces a roll now (tests and admin tools); no-op on an empty active segment.</summary>
    public void Roll()
    {
        lock (_appendLock)
        {
            if (_end.ActiveSize > 0 && !_closed)
            {
                EnsureCheckpointDirty();
                Roll(_end.EndOffset, Config);
            }
        }
    }

    private void RecordEpochs(ReadOnlySpan<byte> batches, int leaderEpoch, long firstOffset, bool assignedOffsets)
    {
        if (assignedOffsets)
        {
            if (leaderEpoch > EpochCache.LatestEpoch)
            {
                EpochCache.Assign(leaderEpoch, firstOffset);
            }
            return;
        }
        int at = 0;
        while (at < batches.Length)
        {
            var header = new RecordBatchHeader(batches[at..]);
            if (header.PartitionLeaderEpoch > EpochCache.LatestEpoch)
            {
                EpochCache.Assign(header.PartitionLeaderEpoch, header.BaseOffset);
            }
            at += header.TotalSize;
        }
    }

    private void GoOffline(Exception e)
    {
        if (!Volatile.Read(ref _offlineForWrites))
        {
            Volatile.Write(ref _offlineForWrites, true);
            LogMessages.WentOffline(_logger, Directory, e);
        }
        CompleteFlushWaiters();
    }

    /// <summary>Number of whole batches exactly filling <paramref name="batches"/>, or -1 if the framing is wrong.</summary>
    private static int CountBatches(ReadOnlySpan<byte> batches, out long records)
    {
        records = 0;
        int count = 0;
        var sequence = new RecordBatchSequence(batches);
        while (sequence.MoveNext())
        {
            if (BatchCheck.Check(sequence.Current, verifyCrc: false) != BatchStatus.Valid)
            {
                return -1;
            }
            records += new RecordBatchHeader(sequence.Current).LastOffsetDelta + 1L;
            count++;
        }
        return sequence.Error == RecordBatchError.None && !sequence.HasPartialTail ? count : -1;
    }
}
