using Brook.Broker.Cluster;
using Brook.Broker.Transactions;
using Brook.Protocol.Errors;
using Brook.Protocol.Messages;

namespace Brook.Broker.Handlers;

/// <summary>
/// InitProducerId (22): with a transactional id the transaction coordinator answers (new id,
/// epoch bump, fencing; <see cref="TransactionCoordinator.InitProducerIdAsync"/>). Without one,
/// idempotent producers get a fresh producer id with epoch 0, or (KIP-360, v3+) the same id with
/// the next epoch when the client asks to bump.
/// </summary>
public sealed class InitProducerIdHandler(KafkaBroker broker) : ApiHandler<InitProducerIdRequest>
{
    public override ApiKey Key => ApiKey.InitProducerId;

    public override ApiVersionRange Versions => new(0, 5);

    protected override async ValueTask<ApiResult> HandleAsync(RequestContext context, InitProducerIdRequest request, CancellationToken cancellationToken)
    {
        if (request.TransactionalId is not null)
        {
            long expectedId = context.ApiVersion >= 3 ? request.ProducerId : -1;
            short expectedEpoch = context.ApiVersion >= 3 ? request.ProducerEpoch : (short)-1;
            InitProducerIdResult result = await broker.Transactions.InitProducerIdAsync(request.TransactionalId, request.TransactionTimeoutMs, expectedId, expectedEpoch, cancellationToken);
            ErrorCode error = TransactionRequests.ForVersion(result.Error, context.ApiVersion, 4);
            return new ApiResult(new InitProducerIdResponse { ErrorCode = (short)error, ProducerId = result.ProducerId, ProducerEpoch = result.ProducerEpoch }, (short)error);
        }
        if (request.ProducerId >= 0 && request.ProducerEpoch >= 0 && request.ProducerEpoch < short.MaxValue - 1)
        {
            return new ApiResult(new InitProducerIdResponse { ProducerId = request.ProducerId, ProducerEpoch = (short)(request.ProducerEpoch + 1) });
        }
        long producerId = await broker.AllocateProducerIdAsync(cancellationToken);
        return new ApiResult(new InitProducerIdResponse { ProducerId = producerId, ProducerEpoch = 0 });
    }
}
