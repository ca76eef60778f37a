using Brook.Broker.Transactions;
using Brook.Protocol.Errors;
using Brook.Protocol.Records;

namespace Brook.Broker.Groups;

/// <summary>
/// Transactional offset commits (TxnOffsetCommit): written to the group's partition of
/// <c>__consumer_offsets</c> as a transactional batch of the producer, kept pending, and applied
/// (COMMIT) or dropped (ABORT) when the transaction's marker on that partition is committed.
/// OffsetFetch with require_stable reports partitions with pending offsets as
/// UNSTABLE_OFFSET_COMMIT. A plain commit of such a partition goes through, and whichever of the
/// two records is later in the log wins once the transaction commits, as in Kafka.
/// </summary>
public sealed partial class GroupCoordinator : ITransactionMarkerListener
{
    // Pending offsets per (partition of __consumer_offsets, producer id): the transaction's marker lands on that partition.
    private readonly Dictionary<(int OffsetsPartition, long ProducerId), List<PendingTxnOffset>> _pendingTxnOffsets = [];

    private sealed record PendingTxnOffset(string GroupId, string Topic, int Partition, CommittedOffset Value, long RecordOffset);

    /// <summary>Validates the committer as Kafka does for TxnOffsetCommit (no rebalance check), writes the offsets as the producer's transactional batch and keeps them pending.</summary>
    public async Task<ErrorCode[]> CommitTransactionalOffsetsAsync(string transactionalId, long producerId, short producerEpoch,
        OffsetCommitter committer, IReadOnlyList<OffsetCommitEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(committer);
        ArgumentNullException.ThrowIfNull(entries);
        var errors = new ErrorCode[entries.Count];
        Partitions.PartitionLeader? offsetsPartition = await OffsetsPartitionAsync(committer.GroupId, cancellationToken);
        ErrorCode groupError = offsetsPartition is null ? ErrorCode.CoordinatorNotAvailable : ValidateTransactionalCommitter(committer);
        if (groupError == ErrorCode.None)
        {
            // KIP-890: the offsets partition must be part of the producer's ongoing transaction (AddOffsetsToTxn).
            groupError = _broker.Transactions.VerifyPartitionInTransaction(transactionalId, producerId, producerEpoch, OffsetsTopic.Name, offsetsPartition!.Id.Partition);
            groupError = groupError is ErrorCode.InvalidProducerEpoch ? ErrorCode.ProducerFenced : groupError;
        }
        if (groupError == ErrorCode.None && await _broker.Transactions.WaitUntilPreviousTransactionCommittedAsync(transactionalId, cancellationToken) != ErrorCode.None)
        {
            // Appended only once the coordinator's record of the previous transaction is committed (TransactionCoordinator.Recording).
            groupError = ErrorCode.CoordinatorNotAvailable;
        }
        if (groupError != ErrorCode.None)
        {
            Array.Fill(errors, groupError);
            return errors;
        }
        long now = NowMs;
        (List<(byte[] Key, byte[]? Value)> records, List<int> written) = EncodeOffsetCommits(committer.GroupId, entries, errors, now);
        if (records.Count == 0)
        {
            return errors;
        }
        var options = new RecordBatchOptions { ProducerId = producerId, ProducerEpoch = producerEpoch, IsTransactional = true };
        (ErrorCode error, long baseOffset) = await AppendAsync(committer.GroupId, records, cancellationToken, options);
        if (error != ErrorCode.None)
        {
            error = error is ErrorCode.InvalidProducerEpoch ? ErrorCode.ProducerFenced : error;
            foreach (int i in written)
            {
                errors[i] = error;
            }
            return errors;
        }
        lock (_lock)
        {
            for (int n = 0; n < written.Count; n++)
            {
                OffsetCommitEntry entry = entries[written[n]];
                AddPendingTxnOffset(offsetsPartition!.Id.Partition, producerId,
                    new PendingTxnOffset(committer.GroupId, entry.Topic, entry.Partition, Committed(entry, now), baseOffset + n));
            }
        }
        // Acknowledged only once the coordinator's record that added the offsets partition is committed too.
        ErrorCode recorded = await _broker.Transactions.WaitUntilTransactionRecordedAsync(transactionalId, cancellationToken);
        if (recorded != ErrorCode.None)
        {
            foreach (int i in written)
            {
                errors[i] = ErrorCode.CoordinatorNotAvailable;
            }
        }
        return errors;
    }

    private ErrorCode ValidateTransactionalCommitter(OffsetCommitter committer)
    {
        if (committer.GroupId.Length == 0)
        {
            return ErrorCode.InvalidGroupId;
        }
        lock (_lock)
        {
            if (_consumerGroups.TryGetValue(committer.GroupId, out Consumer.ConsumerGroup? consumerGroup))
            {
                // A KIP-848 group: the generation is the member epoch, checked as for OffsetCommit. TxnOffsetCommit
                // has no STALE_MEMBER_EPOCH (older producers would not know it), so Kafka answers ILLEGAL_GENERATION.
                ErrorCode error = ValidateConsumerCommitter(consumerGroup, committer);
                return error == ErrorCode.StaleMemberEpoch ? ErrorCode.IllegalGeneration : error;
            }
            if (!_groups.TryGetValue(committer.GroupId, out ClassicGroup? group))
            {
                _groups[committer.GroupId] = new ClassicGroup(committer.GroupId, NowMs);
                return ErrorCode.None;
            }
            if (group.State == GroupState.Dead)
            {
                return ErrorCode.CoordinatorNotAvailable;
            }
            if (group.IsStaticMemberFenced(committer.GroupInstanceId, committer.MemberId))
            {
                return ErrorCode.FencedInstanceId;
            }
            if (committer.MemberId.Length > 0 && group.Find(committer.MemberId) is null)
            {
                return ErrorCode.UnknownMemberId;
            }
            return committer.Generation >= 0 && committer.Generation != group.Generation ? ErrorCode.IllegalGeneration : ErrorCode.None;
        }
    }

    /// <summary>Under the lock: remembers a transactional offset until its transaction's marker.</summary>
    private void AddPendingTxnOffset(int offsetsPartition, long producerId, PendingTxnOffset pending)
    {
        if (!_pendingTxnOffsets.TryGetValue((offsetsPartition, producerId), out List<PendingTxnOffset>? list))
        {
            list = [];
            _pendingTxnOffsets[(offsetsPartition, producerId)] = list;
        }
        list.Add(pending);
    }

    /// <summary>A marker of the producer's transaction was committed on a partition: its pending offsets there become visible (COMMIT) or are dropped (ABORT).</summary>
    public void OnMarkerCommitted(string topic, int partition, long producerId, bool commit)
    {
        if (topic != OffsetsTopic.Name)
        {
            return;
        }
        lock (_lock)
        {
            if (!_pendingTxnOffsets.Remove((partition, producerId), out List<PendingTxnOffset>? pending) || !commit)
            {
                return;
            }
            foreach (PendingTxnOffset offset in pending)
            {
                ApplyOffset(offset.GroupId, offset.Topic, offset.Partition, offset.Value, offset.RecordOffset);
            }
        }
    }

    /// <summary>Whether a transaction not yet ended has written an offset of this partition for the group (require_stable).</summary>
    public bool HasPendingTransactionalOffset(string groupId, string topic, int partition)
    {
        lock (_lock)
        {
            foreach (List<PendingTxnOffset> list in _pendingTxnOffsets.Values)
            {
                foreach (PendingTxnOffset pending in list)
                {
                    if (pending.Partition == partition && pending.GroupId == groupId && pending.Topic == topic)
                    {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    /// <summary>Replay of a transactional batch's offset record: pending until the marker that follows it in the log.</summary>
    private void ReplayTransactionalOffset(int offsetsPartition, long producerId, OffsetsRecord record, long recordOffset)
    {
        if (record is OffsetCommitRecord { Value: { } value } commit)
        {
            lock (_lock)
            {
                AddPendingTxnOffset(offsetsPartition, producerId, new PendingTxnOffset(commit.GroupId, commit.Topic, commit.Partition, value, recordOffset));
            }
        }
    }

    /// <summary>Replay of a control batch: a COMMIT or ABORT marker ends the producer's pending offsets on the partition.</summary>
    private void ReplayMarker(int offsetsPartition, RecordBatch batch, Protocol.Compression.PooledBufferWriter scratch)
    {
        foreach (Record record in batch.GetRecords(scratch, 1024))
        {
            if (ControlRecord.TryReadKey(record.Key, out _, out ControlRecordType type) && ControlRecord.IsEndTransactionMarker(type))
            {
                OnMarkerCommitted(OffsetsTopic.Name, offsetsPartition, batch.Header.ProducerId, type == ControlRecordType.Commit);
            }
        }
    }
}
