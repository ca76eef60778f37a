using System.Globalization;
using Brook.Broker.Cluster;
using Brook.Protocol.Errors;
using Brook.Protocol.Messages;

namespace Brook.Broker.Handlers;

/// <summary>DescribeConfigs (32): a topic's configs with Kafka's names, defaults and sources; the broker's own settings.</summary>
public sealed class DescribeConfigsHandler(KafkaBroker broker) : ApiHandler<DescribeConfigsRequest>
{
    public override ApiKey Key => ApiKey.DescribeConfigs;

    public override ApiVersionRange Versions => new(0, 4);

    protected override ValueTask<ApiResult> HandleAsync(RequestContext context, DescribeConfigsRequest request, CancellationToken cancellationToken)
    {
        var response = new DescribeConfigsResponse();
        foreach (DescribeConfigsRequest.DescribeConfigsResource resource in request.Resources)
        {
            var result = new DescribeConfigsResponse.DescribeConfigsResult { ResourceType = resource.ResourceType, ResourceName = resource.ResourceName, ErrorMessage = null };
            response.Results.Add(result);
            switch (resource.ResourceType)
            {
                case ConfigResources.Topic when broker.TryGetTopic(resource.ResourceName, out TopicState topic):
                    foreach ((string name, string defaultValue) in TopicConfigs.Defaults)
                    {
                        bool overridden = topic.Configs.TryGetValue(name, out string? value);
                        Add(result, resource, context.ApiVersion, name, overridden ? value! : defaultValue, overridden ? ConfigSources.TopicOverride : ConfigSources.Default);
                    }
                    break;
                case ConfigResources.Topic:
                    result.ErrorCode = (short)ErrorCode.UnknownTopicOrPartition;
                    result.ErrorMessage = $"Topic {resource.ResourceName} does not exist";
                    break;
                case ConfigResources.Broker when resource.ResourceName.Length == 0 || resource.ResourceName == broker.NodeId.ToString(CultureInfo.InvariantCulture):
                    Add(result, resource, context.ApiVersion, "auto.create.topics.enable", broker.Options.AutoCreateTopics ? "true" : "false", ConfigSources.StaticBroker);
                    Add(result, resource, context.ApiVersion, "num.partitions", broker.Options.DefaultPartitions.ToString(CultureInfo.InvariantCulture), ConfigSources.StaticBroker);
                    Add(result, resource, context.ApiVersion, "node.id", broker.NodeId.ToString(CultureInfo.InvariantCulture), ConfigSources.StaticBroker);
                    Add(result, resource, context.ApiVersion, "default.replication.factor", "1", ConfigSources.Default);
                    Add(result, resource, context.ApiVersion, "log.dirs", broker.DataDirectory, ConfigSources.StaticBroker);
                    break;
                default:
                    result.ErrorCode = (short)ErrorCode.InvalidRequest;
                    result.ErrorMessage = $"Unsupported resource type {resource.ResourceType} or unknown broker {resource.ResourceName}";
                    break;
            }
        }
        return Done(response);
    }

    private static void Add(DescribeConfigsResponse.DescribeConfigsResult result, DescribeConfigsRequest.DescribeConfigsResource resource,
        short version, string name, string value, sbyte source)
    {
        if (resource.ConfigurationKeys is { } keys && !keys.Contains(name))
        {
            return;
        }
        result.Configs.Add(new DescribeConfigsResponse.DescribeConfigsResourceResult
        {
            Name = name,
            Value = value,
            // IsDefault exists only in v0 and is not ignorable; v1+ carry the source instead.
            IsDefault = version == 0 && source == ConfigSources.Default,
            ConfigSource = source,
            Documentation = null,
        });
    }
}
