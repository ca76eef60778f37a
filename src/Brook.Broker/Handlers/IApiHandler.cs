using Brook.Protocol.Messages;

namespace Brook.Broker.Handlers;

/// <summary>Serves one Kafka API: its key, the versions it answers, and the work.</summary>
public interface IApiHandler
{
    ApiKey Key { get; }

    ApiVersionRange Versions { get; }

    /// <param name="request">The decoded body; its bytes fields point into the request frame, valid until the task completes.</param>
    ValueTask<ApiResult> HandleAsync(RequestContext context, IApiMessage request, CancellationToken cancellationToken);
}

/// <summary>An <see cref="IApiHandler"/> with the body already cast to its generated type.</summary>
public abstract class ApiHandler<TRequest> : IApiHandler
    where TRequest : IApiMessage
{
    public abstract ApiKey Key { get; }

    public abstract ApiVersionRange Versions { get; }

    public ValueTask<ApiResult> HandleAsync(RequestContext context, IApiMessage request, CancellationToken cancellationToken) =>
        HandleAsync(context, (TRequest)request, cancellationToken);

    protected abstract ValueTask<ApiResult> HandleAsync(RequestContext context, TRequest request, CancellationToken cancellationToken);

    protected static ValueTask<ApiResult> Done(IApiMessage response, short errorCode = 0) => ValueTask.FromResult(new ApiResult(response, errorCode));
}
