using Brook.Broker.Cluster;
using Brook.Broker.Partitions;
using Brook.Protocol.Errors;

namespace Brook.Broker.Transactions;

/// <summary>
/// Writes one transaction marker to one partition and waits until it is committed, then tells the
/// <see cref="KafkaBroker.TransactionMarkerListener"/> when the partition belongs to
/// <c>__consumer_offsets</c>. Shared by the WriteTxnMarkers handler and the in-process transaction
/// coordinator (<c>broker.TransactionMarkers.WriteAsync</c>).
/// </summary>
public sealed class TransactionMarkerWriter(KafkaBroker broker)
{
    /// <summary>None once the marker is committed; otherwise the partition's error (unknown partition, fenced epochs, storage).</summary>
    public async ValueTask<ErrorCode> WriteAsync(string topic, int partition, long producerId, short producerEpoch,
        int coordinatorEpoch, bool commit, CancellationToken cancellationToken)
    {
        PartitionLeader? leader = broker.FindPartition(topic, partition);
        if (leader is null)
        {
            return ErrorCode.UnknownTopicOrPartition;
        }
        AppendOutcome outcome = leader.AppendMarker(producerId, producerEpoch, coordinatorEpoch, commit);
        if (outcome.Error != ErrorCode.None)
        {
            return outcome.Error;
        }
        ErrorCode committed = await leader.WaitUntilCommittedAsync(outcome.EndOffset, cancellationToken);
        if (committed != ErrorCode.None)
        {
            return committed;
        }
        if (topic == TopicNames.ConsumerOffsets)
        {
            broker.TransactionMarkerListener?.OnMarkerCommitted(topic, partition, producerId, commit);
        }
        return ErrorCode.None;
    }
}
