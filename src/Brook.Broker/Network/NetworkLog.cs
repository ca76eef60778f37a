using Microsoft.Extensions.Logging;

namespace Brook.Broker.Network;

/// <summary>The network layer's log lines, with stable event ids.</summary>
internal static partial class NetworkLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Debug, Message = "Kafka connection {Connection} opened")]
    public static partial void ConnectionOpened(ILogger logger, KafkaConnectionInfo connection);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Debug, Message = "Kafka connection {Connection} closed ({Reason})")]
    public static partial void ConnectionClosed(ILogger logger, KafkaConnectionInfo connection, string reason);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Kafka connection {Connection}: frame size {Size} refused ({Status}, socket.request.max.bytes is {MaxBytes}); closing the connection")]
    public static partial void BadFrame(ILogger logger, KafkaConnectionInfo connection, int size, FrameStatus status, int maxBytes);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "Kafka connection {Connection} idle for {IdleMs} ms; closing it")]
    public static partial void IdleConnection(ILogger logger, KafkaConnectionInfo connection, long idleMs);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Debug, Message = "Kafka connection {Connection} ended in the middle of a frame ({Bytes} bytes unread)")]
    public static partial void TruncatedFrame(ILogger logger, KafkaConnectionInfo connection, long bytes);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Error, Message = "Kafka connection {Connection}: the dispatcher failed on api_key {ApiKey} v{ApiVersion} correlation_id {CorrelationId}; closing the connection")]
    public static partial void DispatcherFailed(ILogger logger, Exception exception, KafkaConnectionInfo connection, short apiKey, short apiVersion, int correlationId);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Debug, Message = "Kafka connection {Connection}: transport failed")]
    public static partial void TransportFailed(ILogger logger, Exception exception, KafkaConnectionInfo connection);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Error, Message = "Kafka connection {Connection}: unexpected failure in the network layer; closing the connection")]
    public static partial void UnexpectedFailure(ILogger logger, Exception exception, KafkaConnectionInfo connection);

    [LoggerMessage(EventId = 1009, Level = LogLevel.Warning, Message = "{Count} Kafka connections still busy after the shutdown timeout; aborting them")]
    public static partial void AbortingAtShutdown(ILogger logger, int count);
}
