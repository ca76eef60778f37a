using Brook.Broker.Cluster;
using Brook.Broker.Partitions;

namespace Brook.Broker.Transactions;

/// <summary>
/// Hanging transactions: data of a transaction open on a partition that the coordinator does not
/// know to be in the producer's transaction. A crash can leave one behind, since an Ongoing record
/// is applied once appended and the data it enables may reach the disk before it does (neither was
/// acknowledged then). Left alone it would hold the partition's last stable offset, and every
/// read_committed consumer, forever; Kafka needs an operator to abort it (KIP-664). Start-up aborts
/// it instead: nothing of it was acknowledged, so ABORT is the only outcome its producer can have seen.
/// </summary>
public sealed partial class TransactionCoordinator
{
    /// <summary>Writes an ABORT marker for every open transaction that no Ongoing or preparing transaction of the coordinator covers. Called by <see cref="Load"/> after replay.</summary>
    private void AbortHangingTransactions()
    {
        var hanging = new List<(string Topic, int Partition, ProducerDescription Producer)>();
        lock (_lock)
        {
            var byProducerId = new Dictionary<long, TransactionMetadata>();
            foreach (TransactionMetadata txn in _transactions.Values)
            {
                byProducerId[txn.ProducerId] = txn;
            }
            foreach (TopicState topic in _broker.Topics)
            {
                if (topic.Name == TopicNames.TransactionState)
                {
                    continue;
                }
                foreach (PartitionLeader partition in topic.Partitions)
                {
                    foreach (ProducerDescription producer in partition.DescribeProducers())
                    {
                        if (producer.CurrentTxnStartOffset >= 0
                            && !(byProducerId.TryGetValue(producer.ProducerId, out TransactionMetadata? txn)
                                && (txn.State == TransactionState.Ongoing || txn.State.IsPreparing())
                                && txn.Partitions.Contains((topic.Name, partition.Id.Partition))))
                        {
                            hanging.Add((topic.Name, partition.Id.Partition, producer));
                        }
                    }
                }
            }
        }
        foreach ((string topic, int partition, ProducerDescription producer) in hanging)
        {
            TransactionLog.AbortingHanging(_logger, producer.ProducerId, topic, partition, producer.CurrentTxnStartOffset);
            _ = AbortHangingAsync(topic, partition, producer);
        }
    }

    private async Task AbortHangingAsync(string topic, int partition, ProducerDescription producer)
    {
        try
        {
            // The partition's own epochs: the marker must not fence the producer's or the coordinator's later markers.
            await WriteMarkerUntilDoneAsync($"producer {producer.ProducerId}", (topic, partition), producer.ProducerId, producer.Epoch,
                Math.Max(producer.CoordinatorEpoch, 0), commit: false);
        }
        catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException)
        {
            // Shutting down: the next start-up finds it hanging again.
        }
    }
}
