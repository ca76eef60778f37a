using Brook.Broker.Partitions;
using Brook.Protocol.Errors;
using Brook.Protocol.Records;
using Brook.Protocol.Compression;

namespace Brook.Broker.Transactions;

/// <summary>Writing one marker in-process (the partition side owns the marker's effect on the partition).</summary>
public sealed partial class TransactionCoordinator
{
    private async ValueTask<ErrorCode> WriteMarkerAsync(string topic, int partition, long producerId, short producerEpoch, int coordinatorEpoch, bool commit, CancellationToken cancellationToken)
    {
        PartitionLeader? leader = _broker.FindPartition(topic, partition);
        if (leader is null)
        {
            return ErrorCode.UnknownTopicOrPartition;
        }
        byte[] batch;
        using (var output = new PooledBufferWriter(128))
        {
            EndTransactionMarker.WriteBatch(output, commit ? ControlRecordType.Commit : ControlRecordType.Abort, coordinatorEpoch, producerId, producerEpoch, NowMs);
            batch = output.WrittenSpan.ToArray();
        }
        AppendOutcome outcome = leader.Append(batch);
        if (outcome.Error != ErrorCode.None)
        {
            return outcome.Error;
        }
        ErrorCode committed = await leader.WaitUntilCommittedAsync(outcome.EndOffset, cancellationToken);
        if (committed == ErrorCode.None)
        {
            _broker.Groups.OnMarkerCommitted(topic, partition, producerId, commit);
        }
        return committed;
    }
}
