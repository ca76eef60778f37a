using Brook.Broker.Cluster;
using Brook.Protocol.Messages;

namespace Brook.Broker.Handlers;

/// <summary>ConsumerGroupHeartbeat (68, KIP-848): joins, heartbeats, reconciles and leaves a consumer group; the coordinator assigns partitions.</summary>
public sealed class ConsumerGroupHeartbeatHandler(KafkaBroker broker) : ApiHandler<ConsumerGroupHeartbeatRequest>
{
    public override ApiKey Key => ApiKey.ConsumerGroupHeartbeat;

    public override ApiVersionRange Versions => new(0, 0);

    protected override async ValueTask<ApiResult> HandleAsync(RequestContext context, ConsumerGroupHeartbeatRequest request, CancellationToken cancellationToken)
    {
        ConsumerGroupHeartbeatResponse response = await broker.Groups.ConsumerGroupHeartbeatAsync(request, context.ClientId,
            GroupRequests.ClientHost(context.Connection), cancellationToken);
        return new ApiResult(response, response.ErrorCode);
    }
}
