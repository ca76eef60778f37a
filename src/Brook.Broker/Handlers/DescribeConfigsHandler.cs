using System.Globalization;
using Brook.Broker.Cluster;
using Brook.Broker.Network;
using Brook.Protocol.Errors;
using Brook.Protocol.Messages;

namespace Brook.Broker.Handlers;

/// <summary>
/// DescribeConfigs (32): a topic's configs, and a broker's, with Kafka's names, defaults, sources,
/// types and (when asked) synonyms: a topic config's broker-wide counterpart that supplies its
/// default (<see cref="BrokerConfigs"/>).
/// </summary>
public sealed class DescribeConfigsHandler(KafkaBroker broker, KafkaNetworkOptions network) : ApiHandler<DescribeConfigsRequest>
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
            var entries = new ConfigEntries(result, resource, context.ApiVersion, request.IncludeSynonyms);
            switch (resource.ResourceType)
            {
                case ConfigResources.Topic when broker.TryGetTopic(resource.ResourceName, out TopicState topic):
                    foreach ((string name, string defaultValue) in TopicConfigs.Defaults)
                    {
                        (string brokerName, BrokerConfigs.ConfigType type) = BrokerConfigs.TopicSynonyms[name];
                        bool overridden = topic.Configs.TryGetValue(name, out string? value);
                        // Kafka lists the value in force first, then what it would fall back to.
                        var synonyms = new List<(string, string, sbyte)>(2);
                        if (overridden)
                        {
                            synonyms.Add((name, value!, ConfigSources.TopicOverride));
                        }
                        synonyms.Add((brokerName, defaultValue, ConfigSources.Default));
                        entries.Add(name, overridden ? value! : defaultValue, overridden ? ConfigSources.TopicOverride : ConfigSources.Default,
                            readOnly: false, type, synonyms);
                    }
                    break;
                case ConfigResources.Topic:
                    result.ErrorCode = (short)ErrorCode.UnknownTopicOrPartition;
                    result.ErrorMessage = $"Topic {resource.ResourceName} does not exist";
                    break;
                case ConfigResources.Broker when resource.ResourceName.Length == 0 || resource.ResourceName == broker.NodeId.ToString(CultureInfo.InvariantCulture):
                    foreach (BrokerConfigs.Entry entry in BrokerConfigs.Describe(broker.NodeId, broker.DataDirectory, broker.Options, network))
                    {
                        sbyte source = entry.IsDefault ? ConfigSources.Default : ConfigSources.StaticBroker;
                        var synonyms = new List<(string, string, sbyte)>(2) { (entry.Name, entry.Value, source) };
                        if (!entry.IsDefault && entry.Default is { } fallback)
                        {
                            synonyms.Add((entry.Name, fallback, ConfigSources.Default));
                        }
                        // Read-only: Brook has no dynamic broker configs.
                        entries.Add(entry.Name, entry.Value, source, readOnly: true, entry.Type, synonyms);
                    }
                    break;
                default:
                    result.ErrorCode = (short)ErrorCode.InvalidRequest;
                    result.ErrorMessage = $"Unsupported resource type {resource.ResourceType} or unknown broker {resource.ResourceName}";
                    break;
            }
        }
        return Done(response);
    }

    /// <summary>Adds the configs a resource asked for (all when it named none) to its result.</summary>
    private readonly struct ConfigEntries(DescribeConfigsResponse.DescribeConfigsResult result,
        DescribeConfigsRequest.DescribeConfigsResource resource, short version, bool includeSynonyms)
    {
        public void Add(string name, string value, sbyte source, bool readOnly, BrokerConfigs.ConfigType type, List<(string Name, string Value, sbyte Source)> synonyms)
        {
            if (resource.ConfigurationKeys is { } keys && !keys.Contains(name))
            {
                return;
            }
            var entry = new DescribeConfigsResponse.DescribeConfigsResourceResult
            {
                Name = name,
                Value = value,
                ReadOnly = readOnly,
                // IsDefault exists only in v0 and is not ignorable; v1+ carry the source instead.
                IsDefault = version == 0 && source == ConfigSources.Default,
                ConfigSource = source,
                ConfigType = version >= 3 ? (sbyte)type : (sbyte)0,
                Documentation = null,
            };
            if (includeSynonyms && version >= 1)
            {
                foreach ((string synonymName, string synonymValue, sbyte synonymSource) in synonyms)
                {
                    entry.Synonyms.Add(new DescribeConfigsResponse.DescribeConfigsSynonym { Name = synonymName, Value = synonymValue, Source = synonymSource });
                }
            }
            result.Configs.Add(entry);
        }
    }
}
