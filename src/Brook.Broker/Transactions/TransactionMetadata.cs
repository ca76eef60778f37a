namespace Brook.Broker.Transactions;

/// <summary>
/// The coordinator's in-memory state of one transactional id (Kafka's TransactionMetadata). It
/// changes only by <see cref="Apply"/>, once the record that says so is committed to
/// <c>__transaction_state</c> (an Ongoing transition once it is appended, see
/// <see cref="Recording"/>); <see cref="Pending"/> marks a transition whose record is being
/// written, so no second transition starts meanwhile. Guarded by the coordinator's lock.
/// </summary>
internal sealed class TransactionMetadata(string transactionalId, long producerId, int timeoutMs, long now)
{
    public string TransactionalId { get; } = transactionalId;

    public long ProducerId { get; private set; } = producerId;

    public short ProducerEpoch { get; private set; } = -1;

    /// <summary>The epoch before the last bump asked for with KIP-360's expected epoch, so a retried bump gets the same answer; -1 otherwise. Not stored.</summary>
    public short LastProducerEpoch { get; private set; } = -1;

    public int TimeoutMs { get; private set; } = timeoutMs;

    public TransactionState State { get; private set; } = TransactionState.Empty;

    public HashSet<(string Topic, int Partition)> Partitions { get; private set; } = [];

    public long StartTimestamp { get; private set; } = -1;

    public long LastUpdateTimestamp { get; private set; } = now;

    /// <summary>Whether a record of this id was ever committed (a fresh id lives only in memory until its first InitProducerId is).</summary>
    public bool IsStored { get; private set; }

    /// <summary>The state a record being written moves to (PrepareEpochFence while a fence's abort is written).</summary>
    public TransactionState? Pending { get; set; }

    /// <summary>Completes when the transaction has neither a pending write nor markers to write (waiters of CONCURRENT_TRANSACTIONS).</summary>
    public TaskCompletionSource? Settled { get; set; }

    /// <summary>
    /// The CompleteCommit/CompleteAbort record once it is appended but not yet committed. The next
    /// transaction may start then: its record follows in the same log, so one fsync commits both.
    /// </summary>
    public TransactionLogEntry? Completing { get; set; }

    /// <summary>
    /// The commit of the last Complete record released on append (see <see cref="Completing"/>).
    /// The next transaction's data and offsets are appended only after it: were that data durable
    /// and the Complete record lost, start-up would find the previous transaction preparing and
    /// write its markers again, and a marker would end the new transaction with the old outcome.
    /// </summary>
    public Task<Brook.Protocol.Errors.ErrorCode>? CompletionCommit { get; set; }

    /// <summary>
    /// The commit of the last Ongoing record, applied when it was appended: the transaction's data
    /// and offsets are acknowledged only once it has completed without error, so nothing of a
    /// transaction is durable and acknowledged while the record that added its partition is not.
    /// </summary>
    public Task<Brook.Protocol.Errors.ErrorCode>? Recording { get; set; }

    /// <summary>The log offset of the last applied record; an older record committed later (chained writes) is not applied over it.</summary>
    public long AppliedOffset { get; private set; } = -1;

    public bool IsBusy => Pending is not null || (State.IsPreparing() && Completing is null);

    /// <summary>The state operations decide on: that of an appended Complete record, else the committed one.</summary>
    public TransactionState EffectiveState => Completing?.State ?? State;

    public bool IsEpochExhausted => ProducerEpoch >= short.MaxValue - 1;

    /// <summary>The record of a transition to <paramref name="state"/> with this id's current values, changed as given.</summary>
    public TransactionLogEntry Next(TransactionState state, long now, short? epoch = null, int? timeoutMs = null,
        IReadOnlyList<(string Topic, int Partition)>? partitions = null, long? startTimestamp = null, short lastEpoch = -1, long? producerId = null) =>
        new(producerId ?? ProducerId, epoch ?? ProducerEpoch, timeoutMs ?? TimeoutMs, state, partitions ?? [.. Partitions],
            now, startTimestamp ?? StartTimestamp, lastEpoch);

    /// <summary>Applies a committed record unless a later one (by log offset) was applied already.</summary>
    public void Apply(TransactionLogEntry entry, long offset)
    {
        if (offset <= AppliedOffset)
        {
            return;
        }
        AppliedOffset = offset;
        Completing = null;
        LastProducerEpoch = entry.LastProducerEpoch;
        ProducerId = entry.ProducerId;
        ProducerEpoch = entry.ProducerEpoch;
        TimeoutMs = entry.TimeoutMs;
        State = entry.State;
        Partitions = [.. entry.Partitions];
        LastUpdateTimestamp = entry.LastUpdateTimestamp;
        StartTimestamp = entry.StartTimestamp;
        IsStored = true;
    }
}
