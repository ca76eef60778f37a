using Brook.Protocol.Errors;

namespace Brook.Broker.Transactions;

/// <summary>EndTxn: PrepareCommit/PrepareAbort, then a marker on every partition of the transaction, then CompleteCommit/CompleteAbort.</summary>
public sealed partial class TransactionCoordinator
{
    /// <summary>
    /// Ends the producer's transaction as Kafka does: answered once the PrepareCommit or
    /// PrepareAbort record is committed (the outcome is decided then); the markers and the
    /// Complete record follow in the background, and the id's next operation waits for them. A
    /// retried EndTxn of a finished transaction succeeds; one of the other outcome is
    /// INVALID_TXN_STATE; one of a transaction still being completed is CONCURRENT_TRANSACTIONS.
    /// </summary>
    public async Task<ErrorCode> EndTransactionAsync(string transactionalId, long producerId, short producerEpoch, bool commit, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(transactionalId))
        {
            return ErrorCode.InvalidRequest;
        }
        TransactionMetadata? txn;
        TransactionLogEntry prepare;
        lock (_lock)
        {
            if (!_transactions.TryGetValue(transactionalId, out txn) || txn.ProducerId != producerId)
            {
                return ErrorCode.InvalidProducerIdMapping;
            }
            if (txn.ProducerEpoch != producerEpoch)
            {
                return ErrorCode.ProducerFenced;
            }
            if (txn.Pending is not null)
            {
                return ErrorCode.ConcurrentTransactions;
            }
            switch (txn.EffectiveState)
            {
                case TransactionState.Ongoing:
                    prepare = txn.Next(commit ? TransactionState.PrepareCommit : TransactionState.PrepareAbort, NowMs, lastEpoch: txn.LastProducerEpoch);
                    txn.Pending = prepare.State;
                    break;
                case TransactionState.CompleteCommit:
                    return commit ? ErrorCode.None : ErrorCode.InvalidTxnState;
                case TransactionState.CompleteAbort:
                    return commit ? ErrorCode.InvalidTxnState : ErrorCode.None;
                case TransactionState.PrepareCommit:
                    return commit ? ErrorCode.ConcurrentTransactions : ErrorCode.InvalidTxnState;
                case TransactionState.PrepareAbort:
                    return commit ? ErrorCode.InvalidTxnState : ErrorCode.ConcurrentTransactions;
                default:
                    return ErrorCode.InvalidTxnState;
            }
        }
        return await PrepareAndCompleteAsync(txn, prepare, cancellationToken);
    }

    /// <summary>Writes the Prepare record (already marked pending) and, once it is committed, starts writing the markers and the Complete record.</summary>
    private async Task<ErrorCode> PrepareAndCompleteAsync(TransactionMetadata txn, TransactionLogEntry prepare, CancellationToken cancellationToken)
    {
        ErrorCode error = await WriteTransitionAsync(txn, prepare, cancellationToken);
        if (error == ErrorCode.None)
        {
            _ = CompleteAsync(txn, prepare);
        }
        return error;
    }

    /// <summary>
    /// Writes the markers of a prepared transaction to all its partitions at once, then the
    /// Complete record, retrying failures until done or shut down. The transaction stays in its
    /// Prepare state meanwhile, so nothing else changes it.
    /// </summary>
    private async Task CompleteAsync(TransactionMetadata txn, TransactionLogEntry prepare)
    {
        bool commit = prepare.State == TransactionState.PrepareCommit;
        try
        {
            int coordinatorEpoch = (await StatePartitionAsync(txn.TransactionalId, _stopping))?.LeaderEpoch ?? 0;
            var markers = new Task[prepare.Partitions.Count];
            for (int i = 0; i < markers.Length; i++)
            {
                markers[i] = WriteMarkerUntilDoneAsync(txn.TransactionalId, prepare.Partitions[i], prepare.ProducerId, prepare.ProducerEpoch, coordinatorEpoch, commit);
            }
            await Task.WhenAll(markers);
            TransactionLogEntry complete = prepare with
            {
                State = commit ? TransactionState.CompleteCommit : TransactionState.CompleteAbort,
                Partitions = [],
                LastUpdateTimestamp = NowMs,
            };
            while (true)
            {
                lock (_lock)
                {
                    txn.Pending = complete.State;
                }
                ErrorCode error = await WriteTransitionAsync(txn, complete, _stopping, releaseOnAppend: true);
                if (error == ErrorCode.None)
                {
                    return;
                }
                TransactionLog.CompletionFailed(_logger, txn.TransactionalId, error.ToString());
                await Task.Delay(Options.MarkerRetryBackoff, _time, _stopping);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException)
        {
            // Shutting down: the next start finds the Prepare record and completes the transaction.
        }
    }

    private async Task WriteMarkerUntilDoneAsync(string transactionalId, (string Topic, int Partition) partition, long producerId, short producerEpoch, int coordinatorEpoch, bool commit)
    {
        while (true)
        {
            ErrorCode error = await WriteMarkerAsync(partition.Topic, partition.Partition, producerId, producerEpoch, coordinatorEpoch, commit, _stopping);
            // A deleted partition needs no marker (Kafka skips it too).
            if (error is ErrorCode.None or ErrorCode.UnknownTopicOrPartition)
            {
                return;
            }
            TransactionLog.MarkerFailed(_logger, commit ? "COMMIT" : "ABORT", transactionalId, partition.Topic, partition.Partition, error.ToString());
            await Task.Delay(Options.MarkerRetryBackoff, _time, _stopping);
        }
    }
}
