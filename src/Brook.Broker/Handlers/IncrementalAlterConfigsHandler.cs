using Brook.Broker.Cluster;
using Brook.Protocol.Errors;
using Brook.Protocol.Messages;

namespace Brook.Broker.Handlers;

/// <summary>IncrementalAlterConfigs (44): SET, DELETE, APPEND and SUBTRACT (list configs) applied to a topic's overrides.</summary>
public sealed class IncrementalAlterConfigsHandler(KafkaBroker broker) : ApiHandler<IncrementalAlterConfigsRequest>
{
    private const sbyte Set = 0;
    private const sbyte Delete = 1;
    private const sbyte Append = 2;
    private const sbyte Subtract = 3;

    public override ApiKey Key => ApiKey.IncrementalAlterConfigs;

    public override ApiVersionRange Versions => new(0, 1);

    protected override async ValueTask<ApiResult> HandleAsync(RequestContext context, IncrementalAlterConfigsRequest request, CancellationToken cancellationToken)
    {
        var response = new IncrementalAlterConfigsResponse();
        short firstError = 0;
        foreach (IncrementalAlterConfigsRequest.AlterConfigsResource resource in request.Resources)
        {
            TopicChange change = await AlterAsync(resource, request.ValidateOnly, cancellationToken);
            response.Responses.Add(new IncrementalAlterConfigsResponse.AlterConfigsResourceResponse
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

    private async Task<TopicChange> AlterAsync(IncrementalAlterConfigsRequest.AlterConfigsResource resource, bool validateOnly, CancellationToken cancellationToken)
    {
        if (resource.ResourceType != ConfigResources.Topic)
        {
            return TopicChange.Fail(ErrorCode.InvalidRequest, ConfigResources.OnlyTopicsAlterable);
        }
        if (!broker.TryGetTopic(resource.ResourceName, out TopicState topic))
        {
            return TopicChange.Fail(ErrorCode.UnknownTopicOrPartition, $"Topic {resource.ResourceName} does not exist");
        }
        var configs = new Dictionary<string, string>(topic.Configs, StringComparer.Ordinal);
        foreach (IncrementalAlterConfigsRequest.AlterableConfig config in resource.Configs)
        {
            switch (config.ConfigOperation)
            {
                case Set when config.Value is not null:
                    configs[config.Name] = config.Value;
                    break;
                case Delete:
                    configs.Remove(config.Name);
                    break;
                case Append or Subtract when config.Name == "cleanup.policy" && config.Value is not null:
                    string current = configs.TryGetValue(config.Name, out string? set) ? set : TopicConfigs.Defaults[config.Name];
                    var items = current.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
                    foreach (string item in config.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        if (config.ConfigOperation == Append && !items.Contains(item))
                        {
                            items.Add(item);
                        }
                        else if (config.ConfigOperation == Subtract)
                        {
                            items.Remove(item);
                        }
                    }
                    configs[config.Name] = string.Join(',', items);
                    break;
                default:
                    return TopicChange.Fail(ErrorCode.InvalidConfig, $"Operation {config.ConfigOperation} is not valid for {config.Name}");
            }
        }
        return await broker.SetTopicConfigsAsync(resource.ResourceName, configs, validateOnly, cancellationToken);
    }
}
