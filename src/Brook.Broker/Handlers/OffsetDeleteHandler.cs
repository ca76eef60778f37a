using Brook.Broker.Cluster;
using Brook.Protocol.Errors;
using Brook.Protocol.Messages;

namespace Brook.Broker.Handlers;

/// <summary>OffsetDelete (47): removes committed offsets of partitions the group no longer consumes.</summary>
public sealed class OffsetDeleteHandler(KafkaBroker broker) : ApiHandler<OffsetDeleteRequest>
{
    public override ApiKey Key => ApiKey.OffsetDelete;

    public override ApiVersionRange Versions => new(0, 0);

    protected override async ValueTask<ApiResult> HandleAsync(RequestContext context, OffsetDeleteRequest request, CancellationToken cancellationToken)
    {
        var partitions = new List<(string Topic, int Partition)>();
        foreach (OffsetDeleteRequest.OffsetDeleteRequestTopic topic in request.Topics)
        {
            foreach (OffsetDeleteRequest.OffsetDeleteRequestPartition partition in topic.Partitions)
            {
                partitions.Add((topic.Name, partition.PartitionIndex));
            }
        }
        (ErrorCode groupError, ErrorCode[] errors) = await broker.Groups.DeleteOffsetsAsync(request.GroupId, partitions, cancellationToken);
        var response = new OffsetDeleteResponse { ErrorCode = (short)groupError };
        if (groupError != ErrorCode.None)
        {
            return new ApiResult(response, (short)groupError);
        }
        short firstError = 0;
        int i = 0;
        foreach (OffsetDeleteRequest.OffsetDeleteRequestTopic topic in request.Topics)
        {
            var topicResponse = new OffsetDeleteResponse.OffsetDeleteResponseTopic { Name = topic.Name };
            response.Topics.Add(topicResponse);
            foreach (OffsetDeleteRequest.OffsetDeleteRequestPartition partition in topic.Partitions)
            {
                short error = (short)errors[i++];
                topicResponse.Partitions.Add(new OffsetDeleteResponse.OffsetDeleteResponsePartition { PartitionIndex = partition.PartitionIndex, ErrorCode = error });
                firstError = firstError == 0 ? error : firstError;
            }
        }
        return new ApiResult(response, firstError);
    }
}
