using Brook.Broker.Cluster;
using Brook.Broker.Groups;
using Brook.Protocol.Messages;

namespace Brook.Broker.Handlers;

/// <summary>JoinGroup (11): answered when the group's join phase ends (or at once for errors and MEMBER_ID_REQUIRED).</summary>
public sealed class JoinGroupHandler(KafkaBroker broker) : ApiHandler<JoinGroupRequest>
{
    public override ApiKey Key => ApiKey.JoinGroup;

    public override ApiVersionRange Versions => new(0, 9);

    protected override async ValueTask<ApiResult> HandleAsync(RequestContext context, JoinGroupRequest request, CancellationToken cancellationToken)
    {
        var protocols = new List<(string Name, byte[] Metadata)>(request.Protocols.Count);
        foreach (JoinGroupRequest.JoinGroupRequestProtocol protocol in request.Protocols)
        {
            // The metadata points into the request frame; the group keeps it beyond this request.
            protocols.Add((protocol.Name, protocol.Metadata.ToArray()));
        }
        var join = new JoinRequest(request.GroupId, request.MemberId, request.GroupInstanceId, context.ClientId, GroupRequests.ClientHost(context.Connection),
            request.SessionTimeoutMs, request.RebalanceTimeoutMs, request.ProtocolType, protocols, context.ApiVersion);
        JoinGroupResponse response = await broker.Groups.JoinAsync(join).WaitAsync(cancellationToken);
        if (context.ApiVersion < 7)
        {
            response.ProtocolName ??= "";
        }
        return new ApiResult(response, response.ErrorCode);
    }
}
