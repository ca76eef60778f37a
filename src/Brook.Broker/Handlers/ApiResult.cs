using Brook.Protocol.Messages;

namespace Brook.Broker.Handlers;

/// <summary>
/// What a handler returns: the response body (null: send nothing, Produce with acks=0), the
/// error code the request is counted under in the metrics, and an optional lease on buffers the
/// response points into (Fetch's record slices), released once the response has been written.
/// </summary>
public readonly record struct ApiResult(IApiMessage? Response, short ErrorCode = 0, IDisposable? Lease = null, bool CloseConnection = false)
{
    public static ApiResult NoResponse(short errorCode = 0) => new(null, errorCode);

    /// <summary>Send nothing and close the connection (a failed Produce with acks=0, as Kafka does).</summary>
    public static ApiResult Close(short errorCode) => new(null, errorCode, CloseConnection: true);
}
