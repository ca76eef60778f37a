using Brook.Broker.Cluster;
using Brook.Protocol.Errors;
using Brook.Protocol.Messages;

namespace Brook.Broker.Handlers;

/// <summary>EndTxn (26): commits or aborts the producer's transaction (answered once the outcome is durable; markers follow).</summary>
public sealed class EndTxnHandler(KafkaBroker broker) : ApiHandler<EndTxnRequest>
{
    public override ApiKey Key => ApiKey.EndTxn;

    public override ApiVersionRange Versions => new(0, 4);

    protected override async ValueTask<ApiResult> HandleAsync(RequestContext context, EndTxnRequest request, CancellationToken cancellationToken)
    {
        ErrorCode error = await broker.Transactions.EndTransactionAsync(request.TransactionalId, request.ProducerId, request.ProducerEpoch, request.Committed, cancellationToken);
        error = TransactionRequests.ForVersion(error, context.ApiVersion, 2);
        return new ApiResult(new EndTxnResponse { ErrorCode = (short)error }, (short)error);
    }
}
