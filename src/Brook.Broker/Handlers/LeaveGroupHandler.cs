using Brook.Broker.Cluster;
using Brook.Protocol.Messages;

namespace Brook.Broker.Handlers;

/// <summary>LeaveGroup (13): v0-v2 one member id; v3+ a batch of members by id or group.instance.id.</summary>
public sealed class LeaveGroupHandler(KafkaBroker broker) : ApiHandler<LeaveGroupRequest>
{
    public override ApiKey Key => ApiKey.LeaveGroup;

    public override ApiVersionRange Versions => new(0, 5);

    protected override ValueTask<ApiResult> HandleAsync(RequestContext context, LeaveGroupRequest request, CancellationToken cancellationToken)
    {
        var leaving = new List<(string MemberId, string? GroupInstanceId)>();
        if (context.ApiVersion >= 3)
        {
            foreach (LeaveGroupRequest.MemberIdentity member in request.Members)
            {
                leaving.Add((member.MemberId, member.GroupInstanceId));
            }
        }
        else
        {
            leaving.Add((request.MemberId, null));
        }
        LeaveGroupResponse response = broker.Groups.Leave(request.GroupId, leaving);
        if (context.ApiVersion < 3 && response.ErrorCode == 0 && response.Members.Count == 1)
        {
            response.ErrorCode = response.Members[0].ErrorCode;
        }
        if (context.ApiVersion < 3)
        {
            response.Members.Clear();
        }
        return Done(response, response.ErrorCode);
    }
}
