using Brook.Broker.Cluster;
using Brook.Broker.Groups;
using Brook.Protocol.Messages;

namespace Brook.Broker.Handlers;

/// <summary>ListGroups (16): every group, filtered by state (v4+) and type (v5+; all of Brook's groups are "classic").</summary>
public sealed class ListGroupsHandler(KafkaBroker broker) : ApiHandler<ListGroupsRequest>
{
    private const string ClassicType = "classic";

    public override ApiKey Key => ApiKey.ListGroups;

    public override ApiVersionRange Versions => new(0, 5);

    protected override ValueTask<ApiResult> HandleAsync(RequestContext context, ListGroupsRequest request, CancellationToken cancellationToken)
    {
        var response = new ListGroupsResponse();
        bool typeWanted = context.ApiVersion < 5 || request.TypesFilter.Count == 0 || request.TypesFilter.Exists(t => string.Equals(t, ClassicType, StringComparison.OrdinalIgnoreCase));
        if (!typeWanted)
        {
            return Done(response);
        }
        foreach (GroupListing group in broker.Groups.ListGroups())
        {
            string state = GroupStateNames.Of(group.State);
            if (context.ApiVersion >= 4 && request.StatesFilter.Count > 0 && !request.StatesFilter.Exists(s => string.Equals(s, state, StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }
            response.Groups.Add(new ListGroupsResponse.ListedGroup { GroupId = group.GroupId, ProtocolType = group.ProtocolType, GroupState = state, GroupType = ClassicType });
        }
        return Done(response);
    }
}
