using Brook.Protocol.Errors;

namespace Brook.Broker.Transactions;

/// <summary>Writing one marker in-process, through the partition side's writer (which also tells the group coordinator about markers on __consumer_offsets).</summary>
public sealed partial class TransactionCoordinator
{
    private ValueTask<ErrorCode> WriteMarkerAsync(string topic, int partition, long producerId, short producerEpoch, int coordinatorEpoch, bool commit, CancellationToken cancellationToken) =>
        _broker.TransactionMarkers.WriteAsync(topic, partition, producerId, producerEpoch, coordinatorEpoch, commit, cancellationToken);
}
