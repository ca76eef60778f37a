using Brook.Broker.Cluster;
using Brook.Broker.Groups;
using Brook.Protocol.Messages;

namespace Brook.Broker.Handlers;

/// <summary>ListGroups (16): every group, classic and consumer (KIP-848), filtered by state (v4+) and type (v5+).</summary>
public sealed class ListGroupsHandler(KafkaBroker broker) : ApiHandler<ListGroupsRequest>
{
    public override ApiKey Key => ApiKey.ListGroups;

    public override ApiVersionRange Versions => new(0, 5);

    protected override ValueTask<ApiResult> HandleAsync(RequestContext context, ListGroupsRequest request, CancellationToken cancellationToken)
    {
        var response = new ListGroupsResponse();
        bool filterTypes = context.ApiVersion >= 5 && request.TypesFilter.Count > 0;
        foreach (GroupListing group in broker.Groups.ListGroups())
        {
            if (filterTypes && !request.TypesFilter.Exists(t => string.Equals(t, group.Type, StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }
            string state = group.StateText;
            if (context.ApiVersion >= 4 && request.StatesFilter.Count > 0 && !request.StatesFilter.Exists(s => string.Equals(s, state, StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }
            response.Groups.Add(new ListGroupsResponse.ListedGroup { GroupId = group.GroupId, ProtocolType = group.ProtocolType, GroupState = state, GroupType = group.Type });
        }
        return Done(response);
    }
}
