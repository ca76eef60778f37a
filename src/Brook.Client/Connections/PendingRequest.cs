using Brook.Protocol.Messages;

namespace Brook.Client.Connections;

/// <summary>A request written to a connection and waiting for its response, which arrives in send order.</summary>
internal sealed class PendingRequest : TaskCompletionSource<IApiMessage>
{
    public PendingRequest(ApiKey apiKey, short version, int correlationId)
        : base(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        ApiKey = apiKey;
        Version = version;
        CorrelationId = correlationId;
    }

    public ApiKey ApiKey { get; }
    public short Version { get; }
    public int CorrelationId { get; }
}
