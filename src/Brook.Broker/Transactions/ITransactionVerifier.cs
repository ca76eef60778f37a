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
}
