using Brook.Broker.Cluster;
using Brook.Broker.Partitions;
using Brook.Protocol.Errors;
using Brook.Protocol.Messages;
using Brook.Storage;

namespace Brook.Broker.Handlers;

/// <summary>DeleteRecords (21): moves the log start offset (-1 means the high watermark).</summary>
public sealed class DeleteRecordsHandler(KafkaBroker broker) : ApiHandler<DeleteRecordsRequest>
{
    public override ApiKey Key => ApiKey.DeleteRecords;

    public override ApiVersionRange Versions => new(0, 2);

    protected override ValueTask<ApiResult> HandleAsync(RequestContext context, DeleteRecordsRequest request, CancellationToken cancellationToken)
    {
        var response = new DeleteRecordsResponse();
        foreach (DeleteRecordsRequest.DeleteRecordsTopic topic in request.Topics)
        {
            var topicResult = new DeleteRecordsResponse.DeleteRecordsTopicResult { Name = topic.Name };
            response.Topics.Add(topicResult);
            foreach (DeleteRecordsRequest.DeleteRecordsPartition wanted in topic.Partitions)
            {
                var result = new DeleteRecordsResponse.DeleteRecordsPartitionResult { PartitionIndex = wanted.PartitionIndex, LowWatermark = -1 };
                topicResult.Partitions.Add(result);
                PartitionLeader? partition = broker.FindPartition(topic.Name, wanted.PartitionIndex);
                if (partition is null)
                {
                    result.ErrorCode = (short)ErrorCode.UnknownTopicOrPartition;
                    continue;
                }
                long offset = wanted.Offset == -1 ? partition.HighWatermark : wanted.Offset;
                if (offset < 0 || offset > partition.HighWatermark)
                {
                    result.ErrorCode = (short)ErrorCode.OffsetOutOfRange;
                    continue;
                }
                (StorageErrorCode error, long logStart) = partition.Log.DeleteRecords(offset);
                result.ErrorCode = (short)error;
                result.LowWatermark = logStart;
            }
        }
        return Done(response);
    }
}
