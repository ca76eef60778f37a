using Brook.Protocol.Errors;

namespace Brook.Broker.Transactions;

/// <summary>What InitProducerId answers: the error, or the producer id and epoch to use.</summary>
public readonly record struct InitProducerIdResult(ErrorCode Error, long ProducerId, short ProducerEpoch)
{
    public static InitProducerIdResult Failed(ErrorCode error) => new(error, -1, -1);
}
