using Brook.Broker.Cluster;
using Brook.Protocol.Messages;

namespace Brook.Broker.Handlers;

/// <summary>Heartbeat (12): keeps a member's session alive and tells it when to rejoin.</summary>
public sealed class HeartbeatHandler(KafkaBroker broker) : ApiHandler<HeartbeatRequest>
{
    public override ApiKey Key => ApiKey.Heartbeat;

    public override ApiVersionRange Versions => new(0, 4);

    protected override ValueTask<ApiResult> HandleAsync(RequestContext context, HeartbeatRequest request, CancellationToken cancellationToken)
    {
        short error = (short)broker.Groups.Heartbeat(request.GroupId, request.GenerationId, request.MemberId, request.GroupInstanceId);
        return Done(new HeartbeatResponse { ErrorCode = error }, error);
    }
}
