using System.Buffers;
using System.Runtime.InteropServices;
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
    private readonly TransactionTracker _transactions = new();
    private readonly TimeProvider _time;
    private TaskCompletionSource _highWatermarkAdvanced = NewSignal();

    public PartitionLeader(TopicPartition id, Uuid topicId, PartitionLog log, int leaderEpoch = 0, TimeProvider? time = null)
    {
        Id = id;
        TopicId = topicId;
        Log = log;
        LeaderEpoch = leaderEpoch;
        _time = time ?? TimeProvider.System;
    }

    public TopicPartition Id { get; }

    public Uuid TopicId { get; }

    public PartitionLog Log { get; }

    public int LeaderEpoch { get; }

    /// <summary>The committed (here: fsync'd) end; what consumers may read.</summary>
    public long HighWatermark => Log.HighWatermark;

    /// <summary>
    /// The last stable offset: below it every transaction is decided and its marker committed, so
    /// read_committed consumers read up to it. min(first offset of every open transaction, high
    /// watermark), never below the log start (docs/log-invariants.md, "Offsets").
    /// </summary>
    public long LastStableOffset
    {
        get
        {
            long firstUnstable = _transactions.FirstUnstableOffset;
            long highWatermark = Log.HighWatermark;
            return Math.Max(Log.LogStartOffset, Math.Min(firstUnstable, highWatermark));
        }
    }

    /// <summary>
    /// Completes the next time the high watermark moves (a fresh task after each move). The last
    /// stable offset only moves with it (a marker counts once the high watermark passes it), so
    /// read_committed fetchers wait on this too.
    /// </summary>
    public Task HighWatermarkAdvanced => Volatile.Read(ref _highWatermarkAdvanced).Task;

    /// <summary>
    /// Appends one validated data batch (offsets and epoch are stamped in place), checking
    /// producer sequences and transaction state first. A transactional batch that would begin a
    /// transaction is refused with INVALID_TXN_STATE when <paramref name="verifiedMarkerOffset"/>
    /// (from <see cref="NeedsTransactionVerification"/> before the coordinator was asked) shows a
    /// marker for the producer landed since: the verified transaction has ended meanwhile.
    /// </summary>
    public AppendOutcome Append(Span<byte> batch, long? verifiedMarkerOffset = null)
    {
        var header = new RecordBatchHeader(batch);
        long producerId = header.ProducerId;
        short producerEpoch = header.ProducerEpoch;
        int firstSequence = header.BaseSequence;
        int lastSequence = firstSequence < 0 ? -1 : ProducerStateTable.LastSequence(firstSequence, header.LastOffsetDelta);
        bool idempotent = producerId >= 0 && firstSequence >= 0;
        // The group coordinator's transactional offset commits carry a producer but no sequence
        // (Kafka's coordinator origin): only the epoch is checked, and they open transactions too.
        bool coordinatorTransactional = header.IsTransactional && producerId >= 0 && !idempotent;
        bool transactional = header.IsTransactional;
        lock (_appendLock)
        {
            if (coordinatorTransactional && _producers.IsFenced(producerId, producerEpoch))
            {
                return AppendOutcome.Failed(ErrorCode.InvalidProducerEpoch);
            }
            if (idempotent)
            {
                SequenceCheck check = _producers.Check(producerId, producerEpoch, firstSequence, lastSequence, transactional);
                if (check.Error != ErrorCode.None)
                {
                    return AppendOutcome.Failed(check.Error);
                }
                if (check.IsDuplicate)
                {
                    return new AppendOutcome(ErrorCode.None, check.FirstOffset, check.LastOffset + 1, -1, Log.LogStartOffset);
                }
            }
            bool begins = transactional && producerId >= 0 && _producers.OngoingTransactionStart(producerId) < 0;
            if (begins && verifiedMarkerOffset is long verified && verified != _producers.LastMarkerOffset(producerId))
            {
                return AppendOutcome.Failed(ErrorCode.InvalidTxnState);
            }
            // Pin the last stable offset before the bytes exist, so no reader sees them unpinned.
            long firstOffset = Log.LogEndOffset;
            long activeSegment = Log.ActiveSegmentBaseOffset;
            if (begins)
            {
                _transactions.Begin(producerId, firstOffset);
            }
            AppendResult result = Log.Append(batch, LeaderEpoch);
            if (!result.Succeeded)
            {
                if (begins)
                {
                    _transactions.Cancel(producerId, firstOffset);
                }
                return AppendOutcome.Failed((ErrorCode)(short)result.Error);
            }
            SaveProducerStateIfRolled(activeSegment, result.FirstOffset);
            if (begins && result.FirstOffset != firstOffset)
            {
                // Appends are serialised here, so the log end was the batch's offset; stay exact regardless.
                _transactions.Cancel(producerId, firstOffset);
                _transactions.Begin(producerId, result.FirstOffset);
            }
            if (idempotent)
            {
                _producers.Record(producerId, producerEpoch, firstSequence, lastSequence, result.FirstOffset, result.LastOffset, transactional);
            }
            else if (coordinatorTransactional)
            {
                _producers.RecordWithoutSequence(producerId, producerEpoch, result.FirstOffset);
            }
            long appendTime = Log.Config.MessageTimestampType == TimestampType.LogAppendTime ? result.LogAppendTime : -1;
            return new AppendOutcome(ErrorCode.None, result.FirstOffset, result.EndOffset, appendTime, result.LogStartOffset);
        }
    }

    /// <summary>
    /// Appends a COMMIT or ABORT marker (one control batch, transactional + control, stamped with
    /// the leader epoch) for <paramref name="producerId"/>, ending its open transaction on this
    /// partition: the last stable offset may pass the transaction once the marker is committed,
    /// and an ABORT is recorded in the aborted-transactions index. A marker for a producer with no
    /// open transaction is written too (as Kafka does) and changes nothing else. An older producer
    /// epoch is INVALID_PRODUCER_EPOCH, an older coordinator epoch TRANSACTION_COORDINATOR_FENCED.
    /// The caller awaits <see cref="WaitUntilCommittedAsync"/> with the outcome's end offset.
    /// </summary>
    public AppendOutcome AppendMarker(long producerId, short producerEpoch, int coordinatorEpoch, bool commit)
    {
        var bytes = new ArrayBufferWriter<byte>(96);
        EndTransactionMarker.WriteBatch(bytes, commit ? ControlRecordType.Commit : ControlRecordType.Abort, coordinatorEpoch,
            producerId, producerEpoch, _time.GetUtcNow().ToUnixTimeMilliseconds());
        Span<byte> batch = MemoryMarshal.AsMemory(bytes.WrittenMemory).Span;
        lock (_appendLock)
        {
            ErrorCode error = _producers.CheckMarker(producerId, producerEpoch, coordinatorEpoch);
            if (error != ErrorCode.None)
            {
                return AppendOutcome.Failed(error);
            }
            long activeSegment = Log.ActiveSegmentBaseOffset;
            AppendResult result = Log.Append(batch, LeaderEpoch);
            if (!result.Succeeded)
            {
                return AppendOutcome.Failed((ErrorCode)(short)result.Error);
            }
            SaveProducerStateIfRolled(activeSegment, result.FirstOffset);
            EndTransaction(producerId, producerEpoch, coordinatorEpoch, result.FirstOffset);
            return new AppendOutcome(ErrorCode.None, result.FirstOffset, result.EndOffset, -1, result.LogStartOffset);
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
            bool moved = flushed > Log.HighWatermark;
            if (moved)
            {
                Log.UpdateHighWatermark(flushed);
            }
            // Checked even when the high watermark did not move here: a marker may have been
            // recorded after another thread moved it past the marker.
            bool released = _transactions.OnHighWatermark(Log.HighWatermark);
            if (moved || released)
            {
                advanced = Interlocked.Exchange(ref _highWatermarkAdvanced, NewSignal());
            }
        }
        advanced?.TrySetResult();
    }

    /// <summary>Wakes waiters without data (deletion), so long polls end promptly.</summary>
    public void WakeWaiters() => Interlocked.Exchange(ref _highWatermarkAdvanced, NewSignal()).TrySetResult();

    /// <summary>Producers known on this partition, for DescribeProducers.</summary>
    public List<ProducerDescription> DescribeProducers()
    {
        lock (_appendLock)
        {
            return [.. _producers.Describe()];
        }
    }

    /// <summary>
    /// Whether a transactional batch of the producer needs KIP-890 verification here: only the
    /// first batch of a transaction on the partition does (false while one is open). When true,
    /// <paramref name="token"/> (the offset of the producer's last marker here, -1 when none) is
    /// what the handler passes to <see cref="Append"/> after the coordinator confirmed.
    /// </summary>
    public bool NeedsTransactionVerification(long producerId, out long token)
    {
        lock (_appendLock)
        {
            token = _producers.LastMarkerOffset(producerId);
            return _producers.OngoingTransactionStart(producerId) < 0;
        }
    }

    private void EndTransaction(long producerId, short producerEpoch, int coordinatorEpoch, long markerOffset)
    {
        long firstOffset = _producers.EndTransaction(producerId, producerEpoch, coordinatorEpoch, markerOffset);
        if (firstOffset < 0)
        {
            return;
        }
        // The log indexes an ABORT itself (it sees the marker); here only the last stable offset moves.
        _transactions.Complete(producerId, firstOffset, markerOffset);
    }

    /// <summary>
    /// Start-up: makes what the recovered log holds committed (it is on disk now) and rebuilds
    /// the producer state: from the latest snapshot (of the last clean shutdown, or of the last
    /// segment roll) plus a scan of what was appended after it, or, without a usable snapshot,
    /// from a scan of the newest segment (producers seen only in older segments are then treated
    /// as new). Open transactions come
    /// from the log, which rebuilds them exactly even after a crash, and pin the last stable offset.
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
            // The log follows open transactions across restarts and crashes (its transaction-state
            // points and scan), so it is the authority on which are open and where they began.
            Dictionary<long, long> open = Log.OpenTransactionsSnapshot();
            _producers.SetOngoingTransactions(open);
            _transactions.Clear();
            foreach ((long producerId, long firstOffset) in open)
            {
                _transactions.Begin(producerId, firstOffset);
            }
        }
    }

    /// <summary>
    /// Caller holds the append lock, right after an append and before the producer state records
    /// it: when the append rolled the log (its batch begins a new segment), saves the producer
    /// state as of the new segment's base offset, as Kafka snapshots at each roll. After a crash
    /// start-up then scans only the newest segment and still knows producers whose last batches
    /// are in older ones (their retries are answered as duplicates, not appended again). Not
    /// fsync'd: a snapshot lost with a crash only means the older fallback.
    /// </summary>
    private void SaveProducerStateIfRolled(long activeSegmentBefore, long firstOffset)
    {
        if (Log.ActiveSegmentBaseOffset == activeSegmentBefore || firstOffset != Log.ActiveSegmentBaseOffset)
        {
            return;
        }
        try
        {
            SaveProducerStateAt(firstOffset);
        }
        catch (IOException)
        {
            // The snapshot is an optimisation of start-up; the append itself succeeded.
        }
    }

    /// <summary>Clean shutdown: saves the producer state so the next start need not scan for it.</summary>
    public void SaveProducerState()
    {
        lock (_appendLock)
        {
            SaveProducerStateAt(Log.LogEndOffset);
        }
    }

    /// <summary>Caller holds the append lock: saves the producer state as of <paramref name="endOffset"/>.</summary>
    private void SaveProducerStateAt(long endOffset) =>
        ProducerStateSnapshot.Save(Log.Directory, new ProducerStateSnapshot { EndOffset = endOffset, Producers = _producers.Export() });

    private void ScanProducerState(long offset) => LogScan.ForEachBatch(Log, offset, batch =>
    {
        RecordBatchHeader header = batch.Header;
        if (header.ProducerId < 0)
        {
            return;
        }
        if (header.IsControl)
        {
            if (TryReadMarker(batch, out int coordinatorEpoch))
            {
                _producers.EndTransaction(header.ProducerId, header.ProducerEpoch, coordinatorEpoch, header.BaseOffset);
            }
        }
        else if (header.BaseSequence >= 0)
        {
            int last = ProducerStateTable.LastSequence(header.BaseSequence, header.LastOffsetDelta);
            _producers.Record(header.ProducerId, header.ProducerEpoch, header.BaseSequence, last, header.BaseOffset, header.LastOffset, header.IsTransactional);
        }
    });

    /// <summary>Reads an end-transaction marker's type and coordinator epoch from a control batch.</summary>
    private static bool TryReadMarker(RecordBatch batch, out int coordinatorEpoch)
    {
        coordinatorEpoch = -1;
        if (batch.IsCompressed)
        {
            return false;
        }
        RecordEnumerator records = batch.GetRecords();
        if (!records.MoveNext())
        {
            return false;
        }
        Record record = records.Current;
        if (!ControlRecord.TryReadKey(record.Key, out _, out ControlRecordType type) || !ControlRecord.IsEndTransactionMarker(type)
            || !ControlRecord.TryReadEndTransactionMarker(record.Value, out _, out coordinatorEpoch))
        {
            return false;
        }
        return true;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
