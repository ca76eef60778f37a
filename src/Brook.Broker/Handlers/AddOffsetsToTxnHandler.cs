using Brook.Broker.Cluster;
using Brook.Broker.Partitions;
using Brook.Protocol.Errors;
using Brook.Protocol.Messages;

namespace Brook.Broker.Handlers;

/// <summary>AddOffsetsToTxn (25): adds the group's partition of <c>__consumer_offsets</c> to the transaction, so its TxnOffsetCommit gets a marker.</summary>
public sealed class AddOffsetsToTxnHandler(KafkaBroker broker) : ApiHandler<AddOffsetsToTxnRequest>
{
    public override ApiKey Key => ApiKey.AddOffsetsToTxn;

    public override ApiVersionRange Versions => new(0, 4);

    protected override async ValueTask<ApiResult> HandleAsync(RequestContext context, AddOffsetsToTxnRequest request, CancellationToken cancellationToken)
    {
        ErrorCode error;
        PartitionLeader? offsets = await broker.Groups.OffsetsPartitionAsync(request.GroupId, cancellationToken);
        if (offsets is null)
        {
            error = ErrorCode.CoordinatorNotAvailable;
        }
        else
        {
            error = await broker.Transactions.AddPartitionsAsync(request.TransactionalId, request.ProducerId, request.ProducerEpoch,
                [(offsets.Id.Topic, offsets.Id.Partition)], cancellationToken);
            error = TransactionRequests.ForVersion(error, context.ApiVersion, 2);
        }
        return new ApiResult(new AddOffsetsToTxnResponse { ErrorCode = (short)error }, (short)error);
    }
}
