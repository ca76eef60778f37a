using Brook.Protocol.Errors;

namespace Brook.Broker.Transactions;

/// <summary>Aborting transactions that outlive their timeout, and forgetting ids idle longer than <c>transactional.id.expiration.ms</c>.</summary>
public sealed partial class TransactionCoordinator
{
    /// <summary>
    /// Every <c>transaction.abort.timed.out.transaction.cleanup.interval.ms</c>: an ongoing
    /// transaction older than its timeout is aborted with the epoch bumped, as Kafka does, so the
    /// producer that let it time out is fenced on the coordinator and on every partition.
    /// </summary>
    internal void AbortTimedOutTransactions()
    {
        long now = NowMs;
        var timedOut = new List<(TransactionMetadata Txn, TransactionLogEntry Prepare)>();
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }
            foreach (TransactionMetadata txn in _transactions.Values)
            {
                if (txn.EffectiveState == TransactionState.Ongoing && txn.Pending is null && txn.StartTimestamp + txn.TimeoutMs < now)
                {
                    short fenced = txn.IsEpochExhausted ? txn.ProducerEpoch : (short)(txn.ProducerEpoch + 1);
                    timedOut.Add((txn, txn.Next(TransactionState.PrepareAbort, now, epoch: fenced)));
                    txn.Pending = TransactionState.PrepareEpochFence;
                }
            }
        }
        foreach ((TransactionMetadata txn, TransactionLogEntry prepare) in timedOut)
        {
            TransactionLog.TimedOut(_logger, txn.TransactionalId, txn.ProducerId, txn.TimeoutMs);
            _ = AbortQuietlyAsync(txn, prepare);
        }
    }

    private async Task AbortQuietlyAsync(TransactionMetadata txn, TransactionLogEntry prepare)
    {
        try
        {
            await PrepareAndCompleteAsync(txn, prepare, _stopping);
        }
        catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException)
        {
            // Shutting down: still Ongoing in the log, so the next start times it out again.
        }
    }

    /// <summary>Ids not in a transaction whose last update is older than <c>transactional.id.expiration.ms</c> get a tombstone and are forgotten.</summary>
    internal void RemoveExpiredIds()
    {
        long now = NowMs;
        long expiration = (long)Options.IdExpiration.TotalMilliseconds;
        var expired = new List<TransactionMetadata>();
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }
            foreach (TransactionMetadata txn in _transactions.Values)
            {
                if (txn.Pending is null && txn.Completing is null && txn.State is TransactionState.Empty or TransactionState.CompleteCommit or TransactionState.CompleteAbort
                    && txn.LastUpdateTimestamp + expiration <= now)
                {
                    txn.Pending = TransactionState.Dead;
                    expired.Add(txn);
                }
            }
        }
        foreach (TransactionMetadata txn in expired)
        {
            _ = RemoveQuietlyAsync(txn);
        }
    }

    private async Task RemoveQuietlyAsync(TransactionMetadata txn)
    {
        ErrorCode error = ErrorCode.UnknownServerError;
        try
        {
            error = await AppendAsync(txn.TransactionalId, null, _stopping);
        }
        catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException)
        {
            // Shutting down: the next check expires it again.
        }
        finally
        {
            TaskCompletionSource? settled;
            lock (_lock)
            {
                txn.Pending = null;
                if (error == ErrorCode.None && _transactions.TryGetValue(txn.TransactionalId, out TransactionMetadata? current) && current == txn)
                {
                    _transactions.Remove(txn.TransactionalId);
                }
                settled = TakeSettledSignal(txn);
            }
            settled?.TrySetResult();
        }
    }
}
