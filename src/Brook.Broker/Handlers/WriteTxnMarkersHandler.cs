using Brook.Broker.Cluster;
using Brook.Protocol.Errors;
using Brook.Protocol.Messages;

namespace Brook.Broker.Handlers;

/// <summary>
/// WriteTxnMarkers (27), v0–1: the transaction coordinator's request to end a transaction on
/// partitions. Each partition gets a COMMIT or ABORT marker through
/// <see cref="KafkaBroker.TransactionMarkers"/>; the answer comes once every marker is committed,
/// with an error per partition. The partitions' markers are written and awaited together, so their
/// fsyncs overlap.
/// </summary>
public sealed class WriteTxnMarkersHandler(KafkaBroker broker) : ApiHandler<WriteTxnMarkersRequest>
{
    public override ApiKey Key => ApiKey.WriteTxnMarkers;

    public override ApiVersionRange Versions => new(0, 1);

    protected override async ValueTask<ApiResult> HandleAsync(RequestContext context, WriteTxnMarkersRequest request, CancellationToken cancellationToken)
    {
        var response = new WriteTxnMarkersResponse();
        var pending = new List<(WriteTxnMarkersResponse.WritableTxnMarkerPartitionResult Result, Task<ErrorCode> Write)>();
        foreach (WriteTxnMarkersRequest.WritableTxnMarker marker in request.Markers)
        {
            var markerResult = new WriteTxnMarkersResponse.WritableTxnMarkerResult { ProducerId = marker.ProducerId };
            response.Markers.Add(markerResult);
            foreach (WriteTxnMarkersRequest.WritableTxnMarkerTopic topic in marker.Topics)
            {
                var topicResult = new WriteTxnMarkersResponse.WritableTxnMarkerTopicResult { Name = topic.Name };
                markerResult.Topics.Add(topicResult);
                foreach (int partition in topic.PartitionIndexes)
                {
                    var result = new WriteTxnMarkersResponse.WritableTxnMarkerPartitionResult { PartitionIndex = partition };
                    topicResult.Partitions.Add(result);
                    Task<ErrorCode> write = broker.TransactionMarkers.WriteAsync(topic.Name, partition, marker.ProducerId, marker.ProducerEpoch,
                        marker.CoordinatorEpoch, marker.TransactionResult, cancellationToken).AsTask();
                    pending.Add((result, write));
                }
            }
        }
        short firstError = 0;
        foreach ((WriteTxnMarkersResponse.WritableTxnMarkerPartitionResult result, Task<ErrorCode> write) in pending)
        {
            ErrorCode error = await write;
            result.ErrorCode = (short)error;
            firstError = firstError == 0 ? (short)error : firstError;
        }
        return new ApiResult(response, firstError);
    }
}
