using Brook.Broker.Cluster;
using Brook.Protocol.Errors;
using Brook.Protocol.Messages;
using Brook.Protocol.Primitives;

namespace Brook.Broker.Handlers;

/// <summary>DeleteTopics (20): by name (v0-5) or by name or id (v6).</summary>
public sealed class DeleteTopicsHandler(KafkaBroker broker) : ApiHandler<DeleteTopicsRequest>
{
    public override ApiKey Key => ApiKey.DeleteTopics;

    public override ApiVersionRange Versions => new(0, 6);

    protected override async ValueTask<ApiResult> HandleAsync(RequestContext context, DeleteTopicsRequest request, CancellationToken cancellationToken)
    {
        var response = new DeleteTopicsResponse();
        short firstError = 0;
        var wanted = new List<(string? Name, Uuid Id)>();
        if (context.ApiVersion >= 6)
        {
            foreach (DeleteTopicsRequest.DeleteTopicState topic in request.Topics)
            {
                wanted.Add((topic.Name, topic.TopicId));
            }
        }
        else
        {
            foreach (string name in request.TopicNames)
            {
                wanted.Add((name, Uuid.Zero));
            }
        }
        foreach ((string? name, Uuid id) in wanted)
        {
            var result = new DeleteTopicsResponse.DeletableTopicResult { Name = name, TopicId = id };
            response.Responses.Add(result);
            TopicState? topic = null;
            bool found = name is not null ? broker.TryGetTopic(name, out topic) : broker.TryGetTopic(id, out topic);
            ErrorCode error = !found ? (name is null ? ErrorCode.UnknownTopicId : ErrorCode.UnknownTopicOrPartition)
                : (await broker.DeleteTopicAsync(topic!, cancellationToken)).Error;
            if (found)
            {
                result.Name = topic!.Name;
                result.TopicId = topic.Id;
            }
            result.ErrorCode = (short)error;
            firstError = firstError == 0 ? (short)error : firstError;
        }
        return new ApiResult(response, firstError);
    }
}
