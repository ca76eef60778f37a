using Brook.Broker.Cluster;
using Brook.Protocol.Errors;
using Brook.Protocol.Messages;

namespace Brook.Broker.Handlers;

/// <summary>
/// InitProducerId (22) for idempotent, non-transactional producers: a fresh producer id with
/// epoch 0, or (KIP-360, v3+) the same id with the next epoch when the client asks to bump.
/// Transactional ids need a transaction coordinator, which this broker does not have yet.
/// </summary>
public sealed class InitProducerIdHandler(KafkaBroker broker) : ApiHandler<InitProducerIdRequest>
{
    public override ApiKey Key => ApiKey.InitProducerId;

    public override ApiVersionRange Versions => new(0, 5);

    protected override async ValueTask<ApiResult> HandleAsync(RequestContext context, InitProducerIdRequest request, CancellationToken cancellationToken)
    {
        if (request.TransactionalId is not null)
        {
            return new ApiResult(new InitProducerIdResponse { ErrorCode = (short)ErrorCode.CoordinatorNotAvailable }, (short)ErrorCode.CoordinatorNotAvailable);
        }
        if (request.ProducerId >= 0 && request.ProducerEpoch >= 0 && request.ProducerEpoch < short.MaxValue - 1)
        {
            return new ApiResult(new InitProducerIdResponse { ProducerId = request.ProducerId, ProducerEpoch = (short)(request.ProducerEpoch + 1) });
        }
        long producerId = await broker.AllocateProducerIdAsync(cancellationToken);
        return new ApiResult(new InitProducerIdResponse { ProducerId = producerId, ProducerEpoch = 0 });
    }
}
