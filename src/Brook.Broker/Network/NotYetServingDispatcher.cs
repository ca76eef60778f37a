using Microsoft.Extensions.Logging;

namespace Brook.Broker.Network;

/// <summary>
/// The dispatcher a server uses until the Kafka API handlers exist (they come with the broker
/// issue): it answers nothing, logs what it was asked for, and closes the connection, so a client
/// sees a closed connection rather than a made-up response.
/// </summary>
public sealed partial class NotYetServingDispatcher : IKafkaRequestDispatcher
{
    // UNSUPPORTED_VERSION, recorded in the request metrics; nothing is sent to the client.
    private const short UnsupportedVersion = 35;

    private readonly ILogger _logger;

    public NotYetServingDispatcher(ILogger logger)
    {
        _logger = logger;
    }

    public ValueTask<KafkaDispatchResult> DispatchAsync(KafkaRequestFrame request, KafkaResponseBuffer response, CancellationToken cancellationToken)
    {
        NotServing(_logger, request.Connection, request.ApiKey, request.ApiVersion);
        return ValueTask.FromResult(KafkaDispatchResult.Close(UnsupportedVersion));
    }

    [LoggerMessage(EventId = 1100, Level = LogLevel.Warning, Message = "Kafka connection {Connection} sent api_key {ApiKey} v{ApiVersion}, but this build serves no Kafka APIs yet; closing the connection")]
    private static partial void NotServing(ILogger logger, KafkaConnectionInfo connection, short apiKey, short apiVersion);
}
