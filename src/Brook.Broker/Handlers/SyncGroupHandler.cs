using Brook.Broker.Cluster;
using Brook.Protocol.Messages;

namespace Brook.Broker.Handlers;

/// <summary>SyncGroup (14): the leader's assignments are stored, then every member gets its own.</summary>
public sealed class SyncGroupHandler(KafkaBroker broker) : ApiHandler<SyncGroupRequest>
{
    public override ApiKey Key => ApiKey.SyncGroup;

    public override ApiVersionRange Versions => new(0, 5);

    protected override async ValueTask<ApiResult> HandleAsync(RequestContext context, SyncGroupRequest request, CancellationToken cancellationToken)
    {
        var assignments = new List<(string MemberId, byte[] Assignment)>(request.Assignments.Count);
        foreach (SyncGroupRequest.SyncGroupRequestAssignment assignment in request.Assignments)
        {
            assignments.Add((assignment.MemberId, assignment.Assignment.ToArray()));
        }
        SyncGroupResponse response = await broker.Groups.SyncAsync(request.GroupId, request.GenerationId, request.MemberId, request.GroupInstanceId,
            context.ApiVersion >= 5 ? request.ProtocolType : null, context.ApiVersion >= 5 ? request.ProtocolName : null, assignments).WaitAsync(cancellationToken);
        return new ApiResult(response, response.ErrorCode);
    }
}
