using Brook.Protocol.Errors;
using Brook.Protocol.Primitives;
using Brook.Protocol.Records;
using Brook.Storage;

namespace Brook.Broker.Partitions;

/// <summary>
/// One partition as the leader of a Raft-shaped group that today has one member: appends are
/// stamped with the leader epoch, and an entry is <em>committed</em> once a majority of the group
/// has it durably, which for one member means once the local fsync (group commit) covers it. The
/// high watermark is the committed end, so consumers never see data that a crash could lose.
/// Replication adds followers behind <see cref="WaitUntilCommittedAsync"/> and the high-watermark
/// rule without changing the produce or fetch paths.
/// </summary>
public sealed class PartitionLeader
{
    private readonly Lock _appendLock = new();
    private readonly Lock _highWatermarkLock = new();
    private readonly ProducerStateTable _producers = new();
    private TaskCompletionSource _highWatermarkAdvanced = NewSignal();

    public PartitionLeader(TopicPartition id, Uuid topicId, PartitionLog log, int leaderEpoch = 0)
    {
        Id = id;
        TopicId = topicId;
        Log = log;
        LeaderEpoch = leaderEpoch;
    }

    public TopicPartition Id { get; }

    public Uuid TopicId { get; }

    public PartitionLog Log { get; }

    public int LeaderEpoch { get; }

    /// <summary>The committed (here: fsync'd) end; what consumers may read.</summary>
    public long HighWatermark => Log.HighWatermark;

    /// <summary>Completes the next time the high watermark moves (a fresh task after each move).</summary>
    public Task HighWatermarkAdvanced => Volatile.Read(ref _highWatermarkAdvanced).Task;

    /// <summary>Appends one validated batch (offsets and epoch are stamped in place), checking idempotent-producer sequences first.</summary>
    public AppendOutcome Append(Span<byte> batch)
    {
        var header = new RecordBatchHeader(batch);
        long producerId = header.ProducerId;
        short producerEpoch = header.ProducerEpoch;
        int firstSequence = header.BaseSequence;
        int lastSequence = firstSequence < 0 ? -1 : ProducerStateTable.LastSequence(firstSequence, header.LastOffsetDelta);
        bool idempotent = producerId >= 0 && firstSequence >= 0;
        lock (_appendLock)
        {
            if (idempotent)
            {
                SequenceCheck check = _producers.Check(producerId, producerEpoch, firstSequence, lastSequence);
                if (check.Error != ErrorCode.None)
                {
                    return AppendOutcome.Failed(check.Error);
                }
                if (check.IsDuplicate)
                {
                    return new AppendOutcome(ErrorCode.None, check.FirstOffset, check.LastOffset + 1, -1, Log.LogStartOffset);
                }
            }
            AppendResult result = Log.Append(batch, LeaderEpoch);
            if (!result.Succeeded)
            {
                return AppendOutcome.Failed((ErrorCode)(short)result.Error);
            }
            if (idempotent)
            {
                _producers.Record(producerId, producerEpoch, firstSequence, lastSequence, result.FirstOffset, result.LastOffset);
            }
            long appendTime = Log.Config.MessageTimestampType == TimestampType.LogAppendTime ? result.LogAppendTime : -1;
            return new AppendOutcome(ErrorCode.None, result.FirstOffset, result.EndOffset, appendTime, result.LogStartOffset);
        }
    }

    /// <summary>
    /// Waits until every offset below <paramref name="endOffset"/> is committed, then moves the
    /// high watermark. The fsync always runs on the flusher's own threads, never the caller's:
    /// callers are thread-pool threads, and a pool thread blocked in fsync starves every other
    /// request (with the broker pinned to one core the pool has one thread and grows only slowly),
    /// which showed as second-long produce latencies. It also returns at once with a pending task,
    /// so a request committing several partitions starts all their fsyncs before awaiting any.
    /// </summary>
    public async ValueTask<ErrorCode> WaitUntilCommittedAsync(long endOffset, CancellationToken cancellationToken)
    {
        StorageErrorCode error = await Log.WaitForFlushAsync(endOffset, mayFlushOnCallerThread: false, cancellationToken);
        if (error != StorageErrorCode.None)
        {
            return (ErrorCode)(short)error;
        }
        AdvanceHighWatermark();
        return ErrorCode.None;
    }

    /// <summary>For acks 0 and 1: commit in the background so the data becomes visible once durable.</summary>
    public void CommitInBackground(long endOffset) => _ = CommitQuietlyAsync(endOffset);

    private async Task CommitQuietlyAsync(long endOffset)
    {
        try
        {
            await WaitUntilCommittedAsync(endOffset, CancellationToken.None);
        }
        catch (ObjectDisposedException)
        {
            // The log closed (topic deleted or shutdown) before the flush.
        }
    }

    /// <summary>Moves the high watermark to the flushed end and wakes fetchers waiting for data.</summary>
    public void AdvanceHighWatermark()
    {
        TaskCompletionSource? advanced = null;
        lock (_highWatermarkLock)
        {
            long flushed = Log.FlushedOffset;
            if (flushed > Log.HighWatermark)
            {
                Log.UpdateHighWatermark(flushed);
                advanced = Interlocked.Exchange(ref _highWatermarkAdvanced, NewSignal());
            }
        }
        advanced?.TrySetResult();
    }

    /// <summary>Wakes waiters without data (deletion), so long polls end promptly.</summary>
    public void WakeWaiters() => Interlocked.Exchange(ref _highWatermarkAdvanced, NewSignal()).TrySetResult();

    /// <summary>Producers known on this partition, for DescribeProducers.</summary>
    public List<(long ProducerId, short Epoch, int LastSequence, long LastOffset)> DescribeProducers()
    {
        lock (_appendLock)
        {
            return [.. _producers.Describe()];
        }
    }

    /// <summary>
    /// Start-up: makes what the recovered log holds committed (it is on disk now) and rebuilds
    /// the producer state: from the snapshot of the last clean shutdown plus a scan of what was
    /// appended after it, or, without a usable snapshot, from a scan of the newest segment
    /// (producers seen only in older segments are then treated as new).
    /// </summary>
    public void Recover()
    {
        Log.Flush();
        AdvanceHighWatermark();
        lock (_appendLock)
        {
            long scanFrom = Math.Max(Log.SegmentBaseOffsets[^1], Log.LogStartOffset);
            if (ProducerStateSnapshot.TryLoad(Log.Directory, out ProducerStateSnapshot? snapshot)
                && snapshot.EndOffset >= Log.LogStartOffset && snapshot.EndOffset <= Log.LogEndOffset)
            {
                _producers.Import(snapshot.Producers);
                scanFrom = snapshot.EndOffset;
            }
            ScanProducerState(scanFrom);
        }
    }

    /// <summary>Clean shutdown: saves the producer state so the next start need not scan for it.</summary>
    public void SaveProducerState()
    {
        lock (_appendLock)
        {
            ProducerStateSnapshot.Save(Log.Directory, new ProducerStateSnapshot { EndOffset = Log.LogEndOffset, Producers = _producers.Export() });
        }
    }

    private void ScanProducerState(long offset) => LogScan.ForEachBatch(Log, offset, batch =>
    {
        RecordBatchHeader header = batch.Header;
        if (header.ProducerId >= 0 && header.BaseSequence >= 0)
        {
            int last = ProducerStateTable.LastSequence(header.BaseSequence, header.LastOffsetDelta);
            _producers.Record(header.ProducerId, header.ProducerEpoch, header.BaseSequence, last, header.BaseOffset, header.LastOffset);
        }
    });

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
