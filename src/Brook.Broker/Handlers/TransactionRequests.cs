using Brook.Protocol.Errors;

namespace Brook.Broker.Handlers;

/// <summary>What the transaction handlers share.</summary>
internal static class TransactionRequests
{
    /// <summary>
    /// PRODUCER_FENCED (KIP-588) exists only from a version of each API on; older clients get
    /// INVALID_PRODUCER_EPOCH instead, as Kafka answers them.
    /// </summary>
    public static ErrorCode ForVersion(ErrorCode error, short version, short fencedFromVersion) =>
        error == ErrorCode.ProducerFenced && version < fencedFromVersion ? ErrorCode.InvalidProducerEpoch : error;
}
