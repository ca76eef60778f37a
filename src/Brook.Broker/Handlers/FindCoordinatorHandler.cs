using Brook.Broker.Cluster;
using Brook.Protocol.Errors;
using Brook.Protocol.Messages;

namespace Brook.Broker.Handlers;

/// <summary>
/// FindCoordinator (10): the coordinator of a group is the leader of its partition of
/// <c>__consumer_offsets</c> (created on first use), which on one node is this node; that of a
/// transactional id the leader of its partition of <c>__transaction_state</c> (created on first
/// use too). v4+ carries a batch of keys.
/// </summary>
public sealed class FindCoordinatorHandler(KafkaBroker broker) : ApiHandler<FindCoordinatorRequest>
{
    private const sbyte GroupKeyType = 0;
    private const sbyte TransactionKeyType = 1;

    public override ApiKey Key => ApiKey.FindCoordinator;

    public override ApiVersionRange Versions => new(0, 5);

    protected override async ValueTask<ApiResult> HandleAsync(RequestContext context, FindCoordinatorRequest request, CancellationToken cancellationToken)
    {
        var response = new FindCoordinatorResponse();
        if (context.ApiVersion >= 4)
        {
            short firstError = 0;
            foreach (string key in request.CoordinatorKeys)
            {
                (ErrorCode error, string? message) = await LocateAsync(key, request.KeyType, cancellationToken);
                var coordinator = new FindCoordinatorResponse.Coordinator { Key = key, ErrorCode = (short)error, ErrorMessage = message };
                Fill(coordinator, error);
                response.Coordinators.Add(coordinator);
                firstError = firstError == 0 ? (short)error : firstError;
            }
            return new ApiResult(response, firstError);
        }
        (ErrorCode single, string? singleMessage) = await LocateAsync(request.Key, context.ApiVersion >= 1 ? request.KeyType : GroupKeyType, cancellationToken);
        response.ErrorCode = (short)single;
        response.ErrorMessage = context.ApiVersion >= 1 ? singleMessage : null;
        if (single == ErrorCode.None)
        {
            response.NodeId = broker.NodeId;
            response.Host = broker.AdvertisedAddress.Host;
            response.Port = broker.AdvertisedAddress.Port;
        }
        else
        {
            response.NodeId = -1;
            response.Host = "";
            response.Port = -1;
        }
        return new ApiResult(response, (short)single);
    }

    private void Fill(FindCoordinatorResponse.Coordinator coordinator, ErrorCode error)
    {
        bool found = error == ErrorCode.None;
        coordinator.NodeId = found ? broker.NodeId : -1;
        coordinator.Host = found ? broker.AdvertisedAddress.Host : "";
        coordinator.Port = found ? broker.AdvertisedAddress.Port : -1;
    }

    private async ValueTask<(ErrorCode Error, string? Message)> LocateAsync(string key, sbyte keyType, CancellationToken cancellationToken)
    {
        switch (keyType)
        {
            case GroupKeyType:
                // Kafka answers an empty group id with INVALID_REQUEST... from v4; before that with the coordinator of "".
                return await broker.Groups.OffsetsPartitionAsync(key, cancellationToken) is null
                    ? (ErrorCode.CoordinatorNotAvailable, "The coordinator is not available.")
                    : (ErrorCode.None, null);
            case TransactionKeyType:
                if (string.IsNullOrEmpty(key))
                {
                    return (ErrorCode.InvalidRequest, "Transactional id can not be empty.");
                }
                return await broker.Transactions.StatePartitionAsync(key, cancellationToken) is null
                    ? (ErrorCode.CoordinatorNotAvailable, "The coordinator is not available.")
                    : (ErrorCode.None, null);
            default:
                return (ErrorCode.InvalidRequest, $"Invalid coordinator type: {keyType}");
        }
    }
}
