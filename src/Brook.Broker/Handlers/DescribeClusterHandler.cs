using Brook.Broker.Cluster;
using Brook.Protocol.Messages;

namespace Brook.Broker.Handlers;

/// <summary>DescribeCluster (60): this node, as broker and controller.</summary>
public sealed class DescribeClusterHandler(KafkaBroker broker) : ApiHandler<DescribeClusterRequest>
{
    public override ApiKey Key => ApiKey.DescribeCluster;

    public override ApiVersionRange Versions => new(0, 1);

    protected override ValueTask<ApiResult> HandleAsync(RequestContext context, DescribeClusterRequest request, CancellationToken cancellationToken)
    {
        var address = broker.AdvertisedAddress;
        return Done(new DescribeClusterResponse
        {
            ClusterId = broker.ClusterId,
            ControllerId = broker.NodeId,
            Brokers = [new DescribeClusterResponse.DescribeClusterBroker { BrokerId = broker.NodeId, Host = address.Host, Port = address.Port }],
        });
    }
}
