using Brook.Broker.Cluster;
using Brook.Protocol.Messages;

namespace Brook.Broker.Handlers;

/// <summary>ConsumerGroupDescribe (69, KIP-848): epochs, assignor and members with current and target assignments.</summary>
public sealed class ConsumerGroupDescribeHandler(KafkaBroker broker) : ApiHandler<ConsumerGroupDescribeRequest>
{
    public override ApiKey Key => ApiKey.ConsumerGroupDescribe;

    public override ApiVersionRange Versions => new(0, 0);

    protected override ValueTask<ApiResult> HandleAsync(RequestContext context, ConsumerGroupDescribeRequest request, CancellationToken cancellationToken)
    {
        var response = new ConsumerGroupDescribeResponse();
        short firstError = 0;
        foreach (string groupId in request.GroupIds)
        {
            ConsumerGroupDescribeResponse.DescribedGroup described = broker.Groups.DescribeConsumerGroup(groupId);
            response.Groups.Add(described);
            firstError = firstError == 0 ? described.ErrorCode : firstError;
        }
        return Done(response, firstError);
    }
}
