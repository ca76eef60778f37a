using Brook.Broker.Partitions;
using Brook.Protocol.Errors;

namespace Brook.Broker.Transactions;

/// <summary>
/// Ongoing transitions take effect when their record is appended; what depends on the record
/// waits for its commit instead. This takes one fsync off a transaction's critical path: the
/// record's fsync runs while the client receives the AddPartitionsToTxn answer and sends its data,
/// and alongside the data's own fsync. It is safe because nothing the record enables is
/// acknowledged before the record is committed: the transaction's data and offsets wait for
/// <see cref="WaitUntilTransactionRecordedAsync"/>, and its Prepare record follows it in the same
/// log. Data made durable by a crash before the record was is a hanging transaction, which
/// start-up aborts (<see cref="AbortHangingTransactions"/>). What start-up must not meet is that
/// data behind a lost Complete record of the transaction before: its markers would be written
/// again and end the new transaction too. So the data is appended only once that Complete record
/// is committed (<see cref="WaitUntilPreviousTransactionCommittedAsync"/>); it shares its fsync
/// with the Ongoing record, which runs while the AddPartitionsToTxn answer travels and the data arrives.
/// </summary>
public sealed partial class TransactionCoordinator
{
    /// <summary>Appends an Ongoing record (already marked pending), applies it at once and starts its commit as <see cref="TransactionMetadata.Recording"/>.</summary>
    private async Task<ErrorCode> RecordOngoingAsync(TransactionMetadata txn, TransactionLogEntry entry, CancellationToken cancellationToken)
    {
        ErrorCode error = ErrorCode.UnknownServerError;
        TaskCompletionSource? settled;
        try
        {
            (error, PartitionLeader? partition, long offset, long end) = await AppendRecordAsync(txn.TransactionalId, entry, cancellationToken);
            if (error == ErrorCode.None)
            {
                Task<ErrorCode> recording = partition!.WaitUntilCommittedAsync(end, _stopping).AsTask();
                lock (_lock)
                {
                    txn.Apply(entry, offset);
                    txn.Recording = recording;
                }
            }
        }
        finally
        {
            lock (_lock)
            {
                txn.Pending = null;
                settled = TakeSettledSignal(txn);
            }
            settled?.TrySetResult();
        }
        return error;
    }

    /// <summary>
    /// Completes with None once the previous transaction's Complete record is committed (at once
    /// when it is), or with the error its commit failed with (<see cref="TransactionMetadata.CompletionCommit"/>).
    /// </summary>
    public ValueTask<ErrorCode> WaitUntilPreviousTransactionCommittedAsync(string transactionalId, CancellationToken cancellationToken)
    {
        Task<ErrorCode>? commit;
        lock (_lock)
        {
            commit = _transactions.TryGetValue(transactionalId, out TransactionMetadata? txn) ? txn.CompletionCommit : null;
        }
        return WaitAsync(commit, cancellationToken);
    }

    /// <summary>
    /// Completes with None once the record that added partitions to the id's ongoing transaction
    /// is committed (at once when it is, or when the id is unknown: verification fails then), or
    /// with the error its commit failed with.
    /// </summary>
    public ValueTask<ErrorCode> WaitUntilTransactionRecordedAsync(string transactionalId, CancellationToken cancellationToken)
    {
        Task<ErrorCode>? recording;
        lock (_lock)
        {
            recording = _transactions.TryGetValue(transactionalId, out TransactionMetadata? txn) ? txn.Recording : null;
        }
        return WaitAsync(recording, cancellationToken);
    }

    /// <summary>A record's commit as an error code: None when there is none to wait for, and at once when it is done.</summary>
    private static ValueTask<ErrorCode> WaitAsync(Task<ErrorCode>? commit, CancellationToken cancellationToken) =>
        commit is null ? new ValueTask<ErrorCode>(ErrorCode.None)
        : commit.IsCompletedSuccessfully ? new ValueTask<ErrorCode>(commit.Result)
        : WaitSlowAsync(commit, cancellationToken);

    private static async ValueTask<ErrorCode> WaitSlowAsync(Task<ErrorCode> commit, CancellationToken cancellationToken)
    {
        try
        {
            return await commit.WaitAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException && !cancellationToken.IsCancellationRequested)
        {
            // The record's own wait was cut short by shutdown: its fate is decided at the next start-up.
            return ErrorCode.NotLeaderOrFollower;
        }
    }
}
