using Microsoft.Extensions.Logging;

namespace Brook.Broker.Transactions;

internal static partial class TransactionLog
{
    [LoggerMessage(EventId = 500, Level = LogLevel.Error, Message = "Could not create __transaction_state: {Error}")]
    public static partial void StateTopicFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 501, Level = LogLevel.Warning, Message = "Writing the {Marker} marker of {TransactionalId} to {Topic}-{Partition} failed ({Error}); retrying")]
    public static partial void MarkerFailed(ILogger logger, string marker, string transactionalId, string topic, int partition, string error);

    [LoggerMessage(EventId = 502, Level = LogLevel.Information, Message = "Transaction of {TransactionalId} (producer {ProducerId}) timed out after {TimeoutMs} ms; aborting it")]
    public static partial void TimedOut(ILogger logger, string transactionalId, long producerId, int timeoutMs);

    [LoggerMessage(EventId = 503, Level = LogLevel.Information, Message = "Loaded {Count} transactional ids from __transaction_state; completing {Completing}")]
    public static partial void Loaded(ILogger logger, int count, int completing);

    [LoggerMessage(EventId = 504, Level = LogLevel.Warning, Message = "Writing the completion of {TransactionalId} failed ({Error}); retrying")]
    public static partial void CompletionFailed(ILogger logger, string transactionalId, string error);

    [LoggerMessage(EventId = 505, Level = LogLevel.Warning, Message = "Aborting the hanging transaction of producer {ProducerId} on {Topic}-{Partition} (open since offset {FirstOffset}), which no transaction of the coordinator covers")]
    public static partial void AbortingHanging(ILogger logger, long producerId, string topic, int partition, long firstOffset);
}
