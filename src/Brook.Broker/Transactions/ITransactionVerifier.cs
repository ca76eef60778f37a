using Brook.Protocol.Errors;

namespace Brook.Broker.Transactions;

/// <summary>
/// KIP-890 server-side defence: before the first transactional batch of a transaction is written
/// to a partition, the produce path asks the transaction coordinator whether the partition was
/// added to the producer's ongoing transaction. Implemented by the transaction coordinator; set on
/// <see cref="Cluster.KafkaBroker.TransactionVerifier"/> (null: no verification).
/// </summary>
public interface ITransactionVerifier
{
    /// <summary>None when the partition is part of the producer's ongoing transaction at this epoch; otherwise the error to answer the batch with.</summary>
    ErrorCode VerifyPartitionInTransaction(string transactionalId, long producerId, short producerEpoch, string topic, int partition);

    /// <summary>
    /// Completes once the coordinator's record of the id's previous transaction is committed, with
    /// the error to refuse the transaction's data with if its commit failed: a transactional batch
    /// is appended only after this.
    /// </summary>
    ValueTask<ErrorCode> WaitUntilPreviousTransactionCommittedAsync(string transactionalId, CancellationToken cancellationToken);

    /// <summary>
    /// Completes once the coordinator's record that added partitions to the id's transaction is
    /// committed, with the error to answer the transaction's data with if its commit failed: a
    /// transactional batch is acknowledged only after both its own commit and this.
    /// </summary>
    ValueTask<ErrorCode> WaitUntilTransactionRecordedAsync(string transactionalId, CancellationToken cancellationToken);
}
