using Brook.Broker.Cluster;
using Brook.Protocol.Errors;
using Brook.Protocol.Messages;

namespace Brook.Broker.Handlers;

/// <summary>CreatePartitions (37): grows a topic to a larger partition count.</summary>
public sealed class CreatePartitionsHandler(KafkaBroker broker) : ApiHandler<CreatePartitionsRequest>
{
    public override ApiKey Key => ApiKey.CreatePartitions;

    public override ApiVersionRange Versions => new(0, 3);

    protected override async ValueTask<ApiResult> HandleAsync(RequestContext context, CreatePartitionsRequest request, CancellationToken cancellationToken)
    {
        var response = new CreatePartitionsResponse();
        short firstError = 0;
        foreach (CreatePartitionsRequest.CreatePartitionsTopic topic in request.Topics)
        {
            TopicChange change = topic.Assignments is { Count: > 0 } assignments && assignments.Exists(a => a.BrokerIds is not [int only] || only != broker.NodeId)
                ? TopicChange.Fail(ErrorCode.InvalidReplicaAssignment, $"Replica assignment must be [{broker.NodeId}] on this single-node cluster.")
                : await broker.CreatePartitionsAsync(topic.Name, topic.Count, request.ValidateOnly, cancellationToken);
            response.Results.Add(new CreatePartitionsResponse.CreatePartitionsTopicResult { Name = topic.Name, ErrorCode = (short)change.Error, ErrorMessage = change.Message });
            firstError = firstError == 0 ? (short)change.Error : firstError;
        }
        return new ApiResult(response, firstError);
    }
}
