using System.Text.RegularExpressions;
using Brook.Protocol.Errors;
using Brook.Protocol.Messages;

namespace Brook.Broker.Handlers;

/// <summary>ApiVersions (18): lists the registry. A too-new request never reaches here (the dispatcher answers it in v0).</summary>
public sealed partial class ApiVersionsHandler : ApiHandler<ApiVersionsRequest>
{
    public static readonly ApiVersionRange SupportedVersions = new(0, 3);

    private readonly Func<ApiHandlerRegistry> _registry;
    private ApiVersionsResponse? _cached;

    public ApiVersionsHandler(Func<ApiHandlerRegistry> registry)
    {
        _registry = registry;
    }

    public override ApiKey Key => ApiKey.ApiVersions;

    public override ApiVersionRange Versions => SupportedVersions;

    protected override ValueTask<ApiResult> HandleAsync(RequestContext context, ApiVersionsRequest request, CancellationToken cancellationToken)
    {
        if (context.ApiVersion >= 3 && !(SoftwareName().IsMatch(request.ClientSoftwareName) && SoftwareName().IsMatch(request.ClientSoftwareVersion)))
        {
            return Done(new ApiVersionsResponse { ErrorCode = (short)ErrorCode.InvalidRequest }, (short)ErrorCode.InvalidRequest);
        }
        return Done(_cached ??= Build(_registry()));
    }

    private static ApiVersionsResponse Build(ApiHandlerRegistry registry)
    {
        var response = new ApiVersionsResponse();
        foreach (IApiHandler handler in registry.All)
        {
            response.ApiKeys.Add(new ApiVersionsResponse.ApiVersion { ApiKey = (short)handler.Key, MinVersion = handler.Versions.Min, MaxVersion = handler.Versions.Max });
        }
        return response;
    }

    /// <summary>The v0 answer to a version above ours: error 35 and only our ApiVersions range, as Kafka does.</summary>
    public static ApiVersionsResponse UnsupportedVersionResponse() => new()
    {
        ErrorCode = (short)ErrorCode.UnsupportedVersion,
        ApiKeys = [new ApiVersionsResponse.ApiVersion { ApiKey = (short)ApiKey.ApiVersions, MinVersion = SupportedVersions.Min, MaxVersion = SupportedVersions.Max }],
    };

    [GeneratedRegex("^[a-zA-Z0-9](?:[a-zA-Z0-9\\-.]*[a-zA-Z0-9])?$")]
    private static partial Regex SoftwareName();
}
