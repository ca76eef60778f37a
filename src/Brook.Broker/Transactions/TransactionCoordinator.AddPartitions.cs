using Brook.Protocol.Errors;

namespace Brook.Broker.Transactions;

/// <summary>AddPartitionsToTxn, AddOffsetsToTxn (the group's offsets partition is added the same way) and KIP-890 verification.</summary>
public sealed partial class TransactionCoordinator
{
    /// <summary>
    /// Adds partitions to the producer's transaction, starting it if none is ongoing. Errors as
    /// Kafka: INVALID_PRODUCER_ID_MAPPING for an unknown id or another producer id,
    /// PRODUCER_FENCED for another epoch, CONCURRENT_TRANSACTIONS while the previous transaction's
    /// markers are still being written (after waiting a little for them). Answered once the Ongoing
    /// record is appended, not committed (see <see cref="RecordOngoingAsync"/>).
    /// </summary>
    public async Task<ErrorCode> AddPartitionsAsync(string transactionalId, long producerId, short producerEpoch,
        IReadOnlyCollection<(string Topic, int Partition)> partitions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        if (string.IsNullOrEmpty(transactionalId))
        {
            return ErrorCode.InvalidRequest;
        }
        while (true)
        {
            Task? busy = null;
            TransactionMetadata? txn;
            TransactionLogEntry entry;
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
                if (txn.IsBusy)
                {
                    busy = SettledTask(txn);
                    entry = null!;
                }
                else if (txn.EffectiveState == TransactionState.Dead)
                {
                    return ErrorCode.InvalidProducerIdMapping;
                }
                else if (txn.EffectiveState == TransactionState.Ongoing && txn.Partitions.IsSupersetOf(partitions))
                {
                    return ErrorCode.None;
                }
                else
                {
                    bool ongoing = txn.EffectiveState == TransactionState.Ongoing;
                    var union = new HashSet<(string Topic, int Partition)>(ongoing ? txn.Partitions : []);
                    union.UnionWith(partitions);
                    long now = NowMs;
                    entry = txn.Next(TransactionState.Ongoing, now, partitions: [.. union],
                        startTimestamp: ongoing ? txn.StartTimestamp : now, lastEpoch: txn.LastProducerEpoch);
                    txn.Pending = TransactionState.Ongoing;
                }
            }
            if (busy is not null)
            {
                if (!await WaitSettledAsync(busy, cancellationToken))
                {
                    return ErrorCode.ConcurrentTransactions;
                }
                continue;
            }
            return await RecordOngoingAsync(txn, entry, cancellationToken);
        }
    }

    /// <summary>AddPartitionsToTxn v4+ with verify_only: per partition, whether it is part of the producer's ongoing transaction.</summary>
    public ErrorCode[] VerifyPartitions(string transactionalId, long producerId, short producerEpoch, IReadOnlyList<(string Topic, int Partition)> partitions)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        var errors = new ErrorCode[partitions.Count];
        lock (_lock)
        {
            for (int i = 0; i < partitions.Count; i++)
            {
                errors[i] = VerifyLocked(transactionalId, producerId, producerEpoch, partitions[i]);
            }
        }
        return errors;
    }

    /// <summary>KIP-890: transactional data is accepted only on partitions added to the producer's ongoing transaction, at its current epoch.</summary>
    public ErrorCode VerifyPartitionInTransaction(string transactionalId, long producerId, short producerEpoch, string topic, int partition)
    {
        lock (_lock)
        {
            return VerifyLocked(transactionalId, producerId, producerEpoch, (topic, partition));
        }
    }

    private ErrorCode VerifyLocked(string transactionalId, long producerId, short producerEpoch, (string Topic, int Partition) partition)
    {
        if (string.IsNullOrEmpty(transactionalId) || !_transactions.TryGetValue(transactionalId, out TransactionMetadata? txn) || txn.ProducerId != producerId)
        {
            return ErrorCode.InvalidProducerIdMapping;
        }
        if (txn.ProducerEpoch > producerEpoch)
        {
            return ErrorCode.InvalidProducerEpoch;
        }
        if (txn.ProducerEpoch != producerEpoch)
        {
            return ErrorCode.ProducerFenced;
        }
        if (txn.EffectiveState.IsPreparing())
        {
            return ErrorCode.ConcurrentTransactions;
        }
        return txn.EffectiveState == TransactionState.Ongoing && txn.Partitions.Contains(partition) ? ErrorCode.None : ErrorCode.InvalidTxnState;
    }
}
