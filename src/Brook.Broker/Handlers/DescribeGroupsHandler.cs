using Brook.Broker.Cluster;
using Brook.Broker.Groups;
using Brook.Protocol.Messages;

namespace Brook.Broker.Handlers;

/// <summary>DescribeGroups (15): state, protocol and members; unknown groups are reported Dead, as Kafka does.</summary>
public sealed class DescribeGroupsHandler(KafkaBroker broker) : ApiHandler<DescribeGroupsRequest>
{
    // READ, DELETE and DESCRIBE (AclOperation codes 3, 6, 8): what a group supports, with no authorizer.
    private const int GroupOperations = (1 << 3) | (1 << 6) | (1 << 8);

    public override ApiKey Key => ApiKey.DescribeGroups;

    public override ApiVersionRange Versions => new(0, 5);

    protected override ValueTask<ApiResult> HandleAsync(RequestContext context, DescribeGroupsRequest request, CancellationToken cancellationToken)
    {
        var response = new DescribeGroupsResponse();
        foreach (string groupId in request.Groups)
        {
            GroupDescription description = broker.Groups.DescribeGroup(groupId);
            var described = new DescribeGroupsResponse.DescribedGroup
            {
                GroupId = groupId,
                GroupState = GroupStateNames.Of(description.State),
                ProtocolType = description.ProtocolType,
                ProtocolData = description.Protocol,
                AuthorizedOperations = request.IncludeAuthorizedOperations ? GroupOperations : int.MinValue,
            };
            foreach (MemberDescription member in description.Members)
            {
                described.Members.Add(new DescribeGroupsResponse.DescribedGroupMember
                {
                    MemberId = member.MemberId,
                    GroupInstanceId = member.GroupInstanceId,
                    ClientId = member.ClientId,
                    ClientHost = member.ClientHost,
                    MemberMetadata = member.Metadata,
                    MemberAssignment = member.Assignment,
                });
            }
            response.Groups.Add(described);
        }
        return Done(response);
    }
}
