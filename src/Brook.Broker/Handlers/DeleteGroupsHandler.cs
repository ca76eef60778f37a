using Brook.Broker.Cluster;
using Brook.Protocol.Errors;
using Brook.Protocol.Messages;

namespace Brook.Broker.Handlers;

/// <summary>DeleteGroups (42): empty groups only (NON_EMPTY_GROUP otherwise); offsets and metadata get tombstones.</summary>
public sealed class DeleteGroupsHandler(KafkaBroker broker) : ApiHandler<DeleteGroupsRequest>
{
    public override ApiKey Key => ApiKey.DeleteGroups;

    public override ApiVersionRange Versions => new(0, 2);

    protected override async ValueTask<ApiResult> HandleAsync(RequestContext context, DeleteGroupsRequest request, CancellationToken cancellationToken)
    {
        var response = new DeleteGroupsResponse();
        short firstError = 0;
        foreach (string groupId in request.GroupsNames)
        {
            ErrorCode error = await broker.Groups.DeleteGroupAsync(groupId, cancellationToken);
            response.Results.Add(new DeleteGroupsResponse.DeletableGroupResult { GroupId = groupId, ErrorCode = (short)error });
            firstError = firstError == 0 ? (short)error : firstError;
        }
        return new ApiResult(response, firstError);
    }
}
