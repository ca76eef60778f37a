using Brook.Broker.Cluster;
using Brook.Broker.Hosting;
using Brook.Broker.Network;
using Brook.Broker.Observability;
using Brook.Protocol.Errors;
using Brook.Protocol.Messages;
using Brook.Protocol.Primitives;
using Microsoft.Extensions.Logging;

namespace Brook.Broker.Handlers;

/// <summary>
/// Serves Kafka requests: reads the request header in the version the API and version call for,
/// finds the handler, checks the version, decodes the body with the generated class, runs the
/// handler and writes the response header (v0 or v1; ApiVersions always v0) and body.
/// </summary>
/// <remarks>
/// A version the broker does not serve closes the connection, as Kafka does, except for
/// ApiVersions, which is answered in v0 with UNSUPPORTED_VERSION so the client can retry lower.
/// A body that does not decode closes the connection with a log line.
/// </remarks>
public sealed class KafkaApiDispatcher : IKafkaRequestDispatcher, IAsyncDisposable
{
    // correlation_id plus the tagged-field count of a flexible header.
    private const int ResponseHeaderBytes = 5;

    private readonly ApiHandlerRegistry _registry;
    private readonly ILogger _logger;
    private readonly IAsyncDisposable? _owned;

    public KafkaApiDispatcher(ApiHandlerRegistry registry, ILogger logger, IAsyncDisposable? owned = null)
    {
        _registry = registry;
        _logger = logger;
        _owned = owned;
    }

    /// <summary>The default dispatcher of a <see cref="BrookServer"/>: a broker over its data directory.</summary>
    public static KafkaApiDispatcher Create(BrookServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        KafkaBroker broker = KafkaBroker.OpenAsync(server.NodeId, server.DataDirectory, () => server.AdvertisedKafkaAddress,
            server.Options.Broker, server.LoggerFactory, server.TimeProvider).GetAwaiter().GetResult();
        broker.Groups.AttachMetrics(server.Metrics.Registry);
        broker.AttachMetrics(server.Metrics.Registry);
        return new KafkaApiDispatcher(ApiHandlerRegistry.CreateDefault(broker, server.Options.Network), server.LoggerFactory.CreateLogger("Brook.Dispatcher"), broker);
    }

    public ApiHandlerRegistry Registry => _registry;

    public async ValueTask<KafkaDispatchResult> DispatchAsync(KafkaRequestFrame request, KafkaResponseBuffer response, CancellationToken cancellationToken)
    {
        IApiHandler? handler = _registry.Find(request.ApiKey);
        if (handler is null || !handler.Versions.Contains(request.ApiVersion))
        {
            if (request.ApiKey == (short)ApiKey.ApiVersions && request.ApiVersion > ApiVersionsHandler.SupportedVersions.Max)
            {
                WriteResponse(response, request.CorrelationId, ApiVersionsHandler.UnsupportedVersionResponse(), 0);
                return KafkaDispatchResult.Send((short)ErrorCode.UnsupportedVersion);
            }
            BrokerLog.UnsupportedRequest(_logger, request.Connection, KafkaApiNames.Of(request.ApiKey), request.ApiKey, request.ApiVersion);
            return KafkaDispatchResult.Close((short)ErrorCode.UnsupportedVersion);
        }

        ApiMessageType type = ApiMessageTypes.Get(handler.Key);
        IApiMessage body = ApiMessageTypes.CreateRequest(handler.Key);
        string clientId;
        ProtocolReadError error = Decode(request.Payload, type, request.ApiVersion, body, out clientId);
        if (error != ProtocolReadError.None)
        {
            BrokerLog.UndecodableRequest(_logger, request.Connection, type.Name, request.ApiVersion, error.ToString());
            return KafkaDispatchResult.Close((short)ErrorCode.InvalidRequest);
        }

        var context = new RequestContext(request.ApiVersion, request.CorrelationId, clientId, request.Connection);
        ApiResult result = await handler.HandleAsync(context, body, cancellationToken);
        try
        {
            if (result.Response is null)
            {
                return result.CloseConnection ? KafkaDispatchResult.Close(result.ErrorCode) : KafkaDispatchResult.NoResponse(result.ErrorCode);
            }
            long deferred = result.Lease is IDeferredResponseBytes lease ? lease.DeferredBytes : 0;
            WriteResponse(response, request.CorrelationId, result.Response, request.ApiVersion, deferred);
            return KafkaDispatchResult.Send(result.ErrorCode);
        }
        finally
        {
            result.Lease?.Dispose();
        }
    }

    private static ProtocolReadError Decode(ReadOnlyMemory<byte> payload, ApiMessageType type, short version, IApiMessage body, out string clientId)
    {
        var reader = new KafkaReader(payload);
        var header = new RequestHeader();
        header.Read(ref reader, type.RequestHeaderVersion(version));
        clientId = header.ClientId ?? "";
        if (reader.HasError)
        {
            return reader.Error;
        }
        body.Read(ref reader, version);
        return reader.Error;
    }

    private static void WriteResponse(KafkaResponseBuffer output, int correlationId, IApiMessage body, short version, long deferredBytes = 0)
    {
        short headerVersion = ApiMessageTypes.Get(body.ApiKey).ResponseHeaderVersion(version);
        // One allocation of the final size: a large response would otherwise regrow (and be copied)
        // several times. Records sent from their files (Fetch) take no room in the buffer.
        output.Reserve((int)Math.Max(1, ResponseHeaderBytes + body.ComputeSize(version) - deferredBytes));
        var writer = new KafkaWriter(output);
        new ResponseHeader { CorrelationId = correlationId }.Write(ref writer, headerVersion);
        body.Write(ref writer, version);
    }

    public async ValueTask DisposeAsync()
    {
        if (_owned is not null)
        {
            await _owned.DisposeAsync();
        }
    }
}
