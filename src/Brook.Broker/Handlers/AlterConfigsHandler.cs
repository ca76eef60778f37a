using Brook.Broker.Cluster;
using Brook.Protocol.Errors;
using Brook.Protocol.Messages;

namespace Brook.Broker.Handlers;

/// <summary>AlterConfigs (33): replaces a topic's whole set of overrides (settings not given return to their defaults).</summary>
public sealed class AlterConfigsHandler(KafkaBroker broker) : ApiHandler<AlterConfigsRequest>
{
    public override ApiKey Key => ApiKey.AlterConfigs;

    public override ApiVersionRange Versions => new(0, 2);

    protected override async ValueTask<ApiResult> HandleAsync(RequestContext context, AlterConfigsRequest request, CancellationToken cancellationToken)
    {
        var response = new AlterConfigsResponse();
        short firstError = 0;
        foreach (AlterConfigsRequest.AlterConfigsResource resource in request.Resources)
        {
            var configs = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (AlterConfigsRequest.AlterableConfig config in resource.Configs)
            {
                if (config.Value is not null)
                {
                    configs[config.Name] = config.Value;
                }
            }
            TopicChange change = resource.ResourceType == ConfigResources.Topic
                ? await broker.SetTopicConfigsAsync(resource.ResourceName, configs, request.ValidateOnly, cancellationToken)
                : TopicChange.Fail(ErrorCode.InvalidRequest, ConfigResources.OnlyTopicsAlterable);
            response.Responses.Add(new AlterConfigsResponse.AlterConfigsResourceResponse
            {
                ResourceType = resource.ResourceType,
                ResourceName = resource.ResourceName,
                ErrorCode = (short)change.Error,
                ErrorMessage = change.Message,
            });
            firstError = firstError == 0 ? (short)change.Error : firstError;
        }
        return new ApiResult(response, firstError);
    }
}
