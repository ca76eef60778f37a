using System.Net;
using Microsoft.Extensions.Logging;

namespace Brook.Broker.Hosting;

/// <summary>The host's lifecycle log lines, with stable event ids.</summary>
internal static partial class ServerLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Brook node {NodeId} ready: Kafka on {KafkaEndPoint} (advertised as {Advertised}), admin HTTP on {AdminEndPoint}, data in {DataDirectory}")]
    public static partial void Ready(ILogger logger, int nodeId, IPEndPoint kafkaEndPoint, string advertised, string adminEndPoint, string dataDirectory);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Brook node {NodeId} stopping")]
    public static partial void Stopping(ILogger logger, int nodeId);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "Brook node {NodeId} stopped")]
    public static partial void Stopped(ILogger logger, int nodeId);
}
