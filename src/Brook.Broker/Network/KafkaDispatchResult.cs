namespace Brook.Broker.Network;

/// <summary>
/// The outcome of one dispatched request: what to do with the response buffer, and the Kafka
/// error code the request ended with (0 = none), which the network layer records in the metrics.
/// </summary>
public readonly record struct KafkaDispatchResult(KafkaResponseAction Action, short ErrorCode)
{
    /// <summary>UNKNOWN_SERVER_ERROR: recorded when a dispatcher throws.</summary>
    public const short UnknownServerError = -1;

    public static KafkaDispatchResult Send(short errorCode = 0) => new(KafkaResponseAction.Send, errorCode);

    public static KafkaDispatchResult NoResponse(short errorCode = 0) => new(KafkaResponseAction.NoResponse, errorCode);

    public static KafkaDispatchResult Close(short errorCode) => new(KafkaResponseAction.CloseConnection, errorCode);
}
