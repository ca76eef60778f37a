using Brook.Protocol.Errors;

namespace Brook.Broker.Transactions;

/// <summary>InitProducerId with a transactional id: a new id, an epoch bump that fences older producers, KIP-360 retries.</summary>
public sealed partial class TransactionCoordinator
{
    /// <summary>
    /// Kafka's rules: an unknown id gets a new producer id at epoch 0; a known one gets its epoch
    /// bumped (a new producer id once the epoch is exhausted). An ongoing transaction of the old
    /// epoch is first aborted with a fenced epoch and the caller told CONCURRENT_TRANSACTIONS to
    /// retry. With KIP-360's expected id and epoch (v3+), a stale producer is PRODUCER_FENCED and a
    /// retried bump gets the bump it already had.
    /// </summary>
    public async Task<InitProducerIdResult> InitProducerIdAsync(string transactionalId, int timeoutMs, long expectedProducerId, short expectedEpoch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transactionalId);
        if (transactionalId.Length == 0)
        {
            return InitProducerIdResult.Failed(ErrorCode.InvalidRequest);
        }
        if (timeoutMs <= 0 || timeoutMs > Options.MaxTimeoutMs)
        {
            return InitProducerIdResult.Failed(ErrorCode.InvalidTransactionTimeout);
        }
        if (await StatePartitionAsync(transactionalId, cancellationToken) is null)
        {
            return InitProducerIdResult.Failed(ErrorCode.CoordinatorNotAvailable);
        }
        TransactionMetadata txn = await GetOrCreateAsync(transactionalId, timeoutMs, cancellationToken);
        bool expected = expectedProducerId >= 0;
        while (true)
        {
            Task? busy = null;
            TransactionLogEntry? entry = null;
            bool fence = false;
            bool rotate = false;
            lock (_lock)
            {
                if (txn.IsBusy)
                {
                    busy = SettledTask(txn);
                }
                else if (expected && !IsExpectedProducer(txn, expectedProducerId))
                {
                    return InitProducerIdResult.Failed(ErrorCode.ProducerFenced);
                }
                else if (txn.EffectiveState == TransactionState.Ongoing)
                {
                    // The old epoch's transaction is aborted under a fenced epoch first; the client retries.
                    fence = true;
                    short fenced = txn.IsEpochExhausted ? txn.ProducerEpoch : (short)(txn.ProducerEpoch + 1);
                    entry = txn.Next(TransactionState.PrepareAbort, NowMs, epoch: fenced);
                    txn.Pending = TransactionState.PrepareEpochFence;
                }
                else if (txn.EffectiveState is TransactionState.Dead)
                {
                    return InitProducerIdResult.Failed(ErrorCode.ConcurrentTransactions);
                }
                else if (txn.IsEpochExhausted && (!expected || expectedEpoch == txn.ProducerEpoch))
                {
                    rotate = true;
                    txn.Pending = TransactionState.Empty;
                }
                else
                {
                    short epoch;
                    short last;
                    if (!expected || txn.ProducerEpoch < 0 || expectedEpoch == txn.ProducerEpoch)
                    {
                        epoch = (short)(txn.ProducerEpoch + 1);
                        last = expected ? txn.ProducerEpoch : (short)-1;
                    }
                    else if (expectedEpoch == txn.LastProducerEpoch)
                    {
                        // A retry of a bump whose answer was lost: the same answer again.
                        epoch = txn.ProducerEpoch;
                        last = txn.LastProducerEpoch;
                    }
                    else
                    {
                        return InitProducerIdResult.Failed(ErrorCode.ProducerFenced);
                    }
                    entry = txn.Next(TransactionState.Empty, NowMs, epoch: epoch, timeoutMs: timeoutMs, partitions: [], startTimestamp: -1, lastEpoch: last);
                    txn.Pending = TransactionState.Empty;
                }
            }
            if (busy is not null)
            {
                if (!await WaitSettledAsync(busy, cancellationToken))
                {
                    return InitProducerIdResult.Failed(ErrorCode.ConcurrentTransactions);
                }
                continue;
            }
            if (rotate)
            {
                long producerId;
                try
                {
                    producerId = await _broker.AllocateProducerIdAsync(cancellationToken);
                }
                catch
                {
                    TaskCompletionSource? settled;
                    lock (_lock)
                    {
                        txn.Pending = null;
                        settled = TakeSettledSignal(txn);
                    }
                    settled?.TrySetResult();
                    throw;
                }
                entry = txn.Next(TransactionState.Empty, NowMs, epoch: 0, timeoutMs: timeoutMs, partitions: [], startTimestamp: -1, producerId: producerId);
            }
            if (fence)
            {
                ErrorCode fenced = await PrepareAndCompleteAsync(txn, entry!, cancellationToken);
                return InitProducerIdResult.Failed(fenced == ErrorCode.None ? ErrorCode.ConcurrentTransactions : fenced);
            }
            ErrorCode error = await WriteTransitionAsync(txn, entry!, cancellationToken);
            return error == ErrorCode.None ? new InitProducerIdResult(ErrorCode.None, entry!.ProducerId, entry.ProducerEpoch) : InitProducerIdResult.Failed(error);
        }
    }

    /// <summary>
    /// KIP-360: the expected producer is acceptable when the id is fresh (epoch -1), or it names the
    /// current producer id (its epoch is checked by the bump).
    /// </summary>
    private static bool IsExpectedProducer(TransactionMetadata txn, long producerId) =>
        txn.ProducerEpoch < 0 || producerId == txn.ProducerId;

    private async Task<TransactionMetadata> GetOrCreateAsync(string transactionalId, int timeoutMs, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_transactions.TryGetValue(transactionalId, out TransactionMetadata? known))
            {
                return known;
            }
        }
        long producerId = await _broker.AllocateProducerIdAsync(cancellationToken);
        lock (_lock)
        {
            if (!_transactions.TryGetValue(transactionalId, out TransactionMetadata? txn))
            {
                txn = new TransactionMetadata(transactionalId, producerId, timeoutMs, NowMs);
                _transactions[transactionalId] = txn;
            }
            return txn;
        }
    }
}
