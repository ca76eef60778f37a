using Brook.Broker.Cluster;
using Brook.Broker.Partitions;
using Brook.Protocol.Errors;
using Brook.Protocol.Records;
using Brook.Protocol.Compression;
using Microsoft.Extensions.Logging;

namespace Brook.Broker.Transactions;

/// <summary>
/// The transaction coordinator of this node, modelled on Kafka's: the state of every
/// transactional id changes only once the record saying so is committed to its partition of
/// <c>__transaction_state</c>; start-up replays that topic, finishes the transactions it finds
/// preparing to commit or abort, and lets ongoing ones run into their timeout. The coordinator of
/// an id is the leader of partition <c>abs(javaHash(id)) % partitions</c>. State is guarded by one
/// lock; nothing waits while holding it.
/// </summary>
public sealed partial class TransactionCoordinator : ITransactionVerifier, IDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, TransactionMetadata> _transactions = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _topicLock = new(1, 1);
    private readonly CancellationTokenSource _shutdown = new();
    private readonly CancellationToken _stopping;
    private readonly KafkaBroker _broker;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private ITimer? _abortTimer;
    private ITimer? _expireTimer;
    private bool _disposed;

    internal TransactionCoordinator(KafkaBroker broker, TransactionCoordinatorOptions options, ILogger logger)
    {
        _broker = broker;
        Options = options;
        _logger = logger;
        _time = broker.Time;
        _stopping = _shutdown.Token;
    }

    public TransactionCoordinatorOptions Options { get; }

    private long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Rebuilds every id by replaying <c>__transaction_state</c>, restarts the completion of preparing transactions, aborts hanging ones and starts the timers.</summary>
    internal void Load()
    {
        if (_broker.TryGetTopic(TransactionStateTopic.Name, out TopicState? topic))
        {
            foreach (PartitionLeader partition in topic.Partitions)
            {
                Replay(partition);
            }
        }
        var completing = new List<(TransactionMetadata Txn, TransactionLogEntry Prepare)>();
        lock (_lock)
        {
            foreach (TransactionMetadata txn in _transactions.Values)
            {
                if (txn.State.IsPreparing())
                {
                    completing.Add((txn, txn.Next(txn.State, txn.LastUpdateTimestamp)));
                }
            }
        }
        TransactionLog.Loaded(_logger, _transactions.Count, completing.Count);
        if (Options.AbortHangingTransactions)
        {
            AbortHangingTransactions();
        }
        foreach ((TransactionMetadata txn, TransactionLogEntry prepare) in completing)
        {
            _ = CompleteAsync(txn, prepare);
        }
        _abortTimer = _time.CreateTimer(_ => AbortTimedOutTransactions(), null, Options.AbortTimedOutInterval, Options.AbortTimedOutInterval);
        _expireTimer = _time.CreateTimer(_ => RemoveExpiredIds(), null, Options.RemoveExpiredInterval, Options.RemoveExpiredInterval);
    }

    private void Replay(PartitionLeader partition)
    {
        using var scratch = new PooledBufferWriter(0);
        LogScan.ForEachBatch(partition.Log, partition.Log.LogStartOffset, batch =>
        {
            if (batch.Header.IsControl || batch.Header.LastOffset >= partition.HighWatermark)
            {
                return;
            }
            foreach (Record record in batch.GetRecords(scratch, 64 * 1024 * 1024))
            {
                if (record.KeyIsNull || TransactionLogCodec.DecodeKey(record.Key) is not { } id)
                {
                    continue;
                }
                if (record.ValueIsNull)
                {
                    _transactions.Remove(id);
                    continue;
                }
                if (TransactionLogCodec.DecodeValue(record.Value) is { } entry)
                {
                    if (!_transactions.TryGetValue(id, out TransactionMetadata? txn))
                    {
                        txn = new TransactionMetadata(id, entry.ProducerId, entry.TimeoutMs, entry.LastUpdateTimestamp);
                        _transactions[id] = txn;
                    }
                    txn.Apply(entry, record.Offset(batch.Header.BaseOffset));
                }
            }
        });
    }

    /// <summary>The leader of the id's partition of <c>__transaction_state</c>, creating the topic on first use; null when it cannot be had.</summary>
    public async ValueTask<PartitionLeader?> StatePartitionAsync(string transactionalId, CancellationToken cancellationToken)
    {
        if (!_broker.TryGetTopic(TransactionStateTopic.Name, out TopicState? topic))
        {
            await _topicLock.WaitAsync(cancellationToken);
            try
            {
                if (!_broker.TryGetTopic(TransactionStateTopic.Name, out topic))
                {
                    var configs = new Dictionary<string, string>(StringComparer.Ordinal)
                    {
                        ["cleanup.policy"] = "compact",
                        ["segment.bytes"] = "104857600",
                        ["min.insync.replicas"] = "1",
                    };
                    TopicChange change = await _broker.CreateTopicAsync(TransactionStateTopic.Name, Options.StateLogPartitions, configs, validateOnly: false, cancellationToken);
                    if (!_broker.TryGetTopic(TransactionStateTopic.Name, out topic))
                    {
                        TransactionLog.StateTopicFailed(_logger, change.Error.ToString());
                        return null;
                    }
                }
            }
            finally
            {
                _topicLock.Release();
            }
        }
        return topic.Partition(TransactionStateTopic.PartitionFor(transactionalId, topic.Partitions.Count));
    }

    /// <summary>Appends one record of an id (null value: a tombstone) and waits until it is committed.</summary>
    private async Task<ErrorCode> AppendAsync(string transactionalId, TransactionLogEntry? entry, CancellationToken cancellationToken)
    {
        (ErrorCode error, PartitionLeader? partition, _, long end) = await AppendRecordAsync(transactionalId, entry, cancellationToken);
        return error != ErrorCode.None ? error : CoordinatorError(await partition!.WaitUntilCommittedAsync(end, cancellationToken));
    }

    /// <summary>Appends one record of an id without waiting for it to be committed: the partition, the record's offset and the end to wait for.</summary>
    private async Task<(ErrorCode Error, PartitionLeader? Partition, long Offset, long EndOffset)> AppendRecordAsync(string transactionalId, TransactionLogEntry? entry, CancellationToken cancellationToken)
    {
        PartitionLeader? partition = await StatePartitionAsync(transactionalId, cancellationToken);
        if (partition is null)
        {
            return (ErrorCode.CoordinatorNotAvailable, null, -1, -1);
        }
        byte[] key = TransactionLogCodec.Key(transactionalId);
        byte[]? value = entry is null ? null : TransactionLogCodec.Value(entry);
        byte[] batch;
        using (var builder = new RecordBatchBuilder(RecordBatchOptions.Default, 128))
        {
            builder.Append(NowMs, key, keyIsNull: false, value ?? [], valueIsNull: value is null);
            using var output = new PooledBufferWriter(256);
            builder.WriteTo(output);
            batch = output.WrittenSpan.ToArray();
        }
        AppendOutcome outcome = partition.Append(batch);
        return outcome.Error != ErrorCode.None
            ? (CoordinatorError(outcome.Error), null, -1, -1)
            : (ErrorCode.None, partition, outcome.FirstOffset, outcome.EndOffset);
    }

    /// <summary>
    /// Writes the record of a transition already marked pending, then applies it (or, if the write
    /// failed, drops the pending mark). With <paramref name="releaseOnAppend"/> (a Complete record)
    /// the id is free for its next transaction as soon as the record is appended: what that
    /// transaction writes follows in the same log and is committed by the same fsync. A request
    /// already waiting for it (the producer's next AddPartitionsToTxn) runs on this thread up to
    /// its own append before this record's flush is asked for, so one fsync commits both instead
    /// of the next record waiting behind this one's fsync.
    /// </summary>
    private async Task<ErrorCode> WriteTransitionAsync(TransactionMetadata txn, TransactionLogEntry entry, CancellationToken cancellationToken, bool releaseOnAppend = false)
    {
        ErrorCode error = ErrorCode.UnknownServerError;
        long offset = -1;
        bool released = false;
        TaskCompletionSource? settled = null;
        try
        {
            (error, PartitionLeader? partition, offset, long end) = await AppendRecordAsync(txn.TransactionalId, entry, cancellationToken);
            if (error == ErrorCode.None)
            {
                // What the next transaction's data waits for (TransactionMetadata.CompletionCommit); its waiters run on the completing thread.
                TaskCompletionSource<ErrorCode>? committed = null;
                if (releaseOnAppend)
                {
                    committed = new TaskCompletionSource<ErrorCode>();
                    lock (_lock)
                    {
                        txn.Pending = null;
                        txn.Completing = entry;
                        txn.CompletionCommit = committed.Task;
                        released = true;
                        settled = TakeSettledSignal(txn);
                    }
                    settled?.TrySetResult();
                }
                ErrorCode commitError = ErrorCode.NotLeaderOrFollower; // unless the wait below ends
                try
                {
                    commitError = CoordinatorError(await partition!.WaitUntilCommittedAsync(end, cancellationToken));
                    error = commitError;
                }
                finally
                {
                    committed?.TrySetResult(commitError);
                }
            }
        }
        finally
        {
            lock (_lock)
            {
                if (!released)
                {
                    txn.Pending = null;
                }
                if (error == ErrorCode.None)
                {
                    txn.Apply(entry, offset);
                }
                else if (ReferenceEquals(txn.Completing, entry))
                {
                    // Not committed after all: the transaction is preparing again and its completion is retried.
                    txn.Completing = null;
                }
                settled = TakeSettledSignal(txn);
            }
            settled?.TrySetResult();
        }
        return error;
    }

    /// <summary>Kafka maps storage failures of the state topic to errors a client retries against the coordinator.</summary>
    private static ErrorCode CoordinatorError(ErrorCode error) => error switch
    {
        ErrorCode.None => ErrorCode.None,
        ErrorCode.UnknownTopicOrPartition or ErrorCode.NotEnoughReplicas or ErrorCode.NotEnoughReplicasAfterAppend or ErrorCode.RequestTimedOut => ErrorCode.CoordinatorNotAvailable,
        ErrorCode.NotLeaderOrFollower or ErrorCode.KafkaStorageError => ErrorCode.NotCoordinator,
        _ => ErrorCode.UnknownServerError,
    };

    /// <summary>
    /// Called under the lock after a transition: the signal of those waiting for the transaction to
    /// finish if it has, for the caller to complete once out of the lock (their continuations run
    /// on the completing thread: no hand-off to another thread on the way to the next transaction).
    /// </summary>
    private static TaskCompletionSource? TakeSettledSignal(TransactionMetadata txn)
    {
        if (!txn.IsBusy && txn.Settled is { } settled)
        {
            txn.Settled = null;
            return settled;
        }
        return null;
    }

    /// <summary>Under the lock: a task that completes when the busy transaction settles (see <see cref="TakeSettledSignal"/>).</summary>
    private static Task SettledTask(TransactionMetadata txn)
    {
        txn.Settled ??= new TaskCompletionSource();
        return txn.Settled.Task;
    }

    /// <summary>Waits (bounded by <see cref="TransactionCoordinatorOptions.CompletionWait"/>) for a busy transaction; false when it did not settle in time.</summary>
    private async Task<bool> WaitSettledAsync(Task settled, CancellationToken cancellationToken)
    {
        try
        {
            await settled.WaitAsync(Options.CompletionWait, _time, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        var settled = new List<TaskCompletionSource>();
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            _abortTimer?.Dispose();
            _expireTimer?.Dispose();
            foreach (TransactionMetadata txn in _transactions.Values)
            {
                if (txn.Settled is { } signal)
                {
                    settled.Add(signal);
                }
            }
        }
        foreach (TaskCompletionSource signal in settled)
        {
            signal.TrySetResult();
        }
        _shutdown.Cancel();
        _shutdown.Dispose();
        _topicLock.Dispose();
    }
}
