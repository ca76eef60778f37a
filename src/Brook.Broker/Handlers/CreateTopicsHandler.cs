using Brook.Broker.Cluster;
using Brook.Protocol.Errors;
using Brook.Protocol.Messages;

namespace Brook.Broker.Handlers;

/// <summary>CreateTopics (19): on a single node the replication factor is 1 (or -1 for the default); validate_only checks without creating.</summary>
public sealed class CreateTopicsHandler(KafkaBroker broker) : ApiHandler<CreateTopicsRequest>
{
    public override ApiKey Key => ApiKey.CreateTopics;

    public override ApiVersionRange Versions => new(0, 7);

    protected override async ValueTask<ApiResult> HandleAsync(RequestContext context, CreateTopicsRequest request, CancellationToken cancellationToken)
    {
        var response = new CreateTopicsResponse();
        short firstError = 0;
        foreach (CreateTopicsRequest.CreatableTopic wanted in request.Topics)
        {
            CreateTopicsResponse.CreatableTopicResult result = await CreateAsync(wanted, request.validateOnly, cancellationToken);
            response.Topics.Add(result);
            firstError = firstError == 0 ? result.ErrorCode : firstError;
        }
        return new ApiResult(response, firstError);
    }

    private async Task<CreateTopicsResponse.CreatableTopicResult> CreateAsync(CreateTopicsRequest.CreatableTopic wanted, bool validateOnly, CancellationToken cancellationToken)
    {
        var result = new CreateTopicsResponse.CreatableTopicResult { Name = wanted.Name, ErrorMessage = null };
        int partitions = wanted.NumPartitions == -1 ? broker.Options.DefaultPartitions : wanted.NumPartitions;
        if (wanted.Assignments.Count > 0)
        {
            partitions = wanted.NumPartitions == -1 ? wanted.Assignments.Count : -2;
            foreach (CreateTopicsRequest.CreatableReplicaAssignment assignment in wanted.Assignments)
            {
                if (assignment.BrokerIds is not [int only] || only != broker.NodeId)
                {
                    return Fail(result, ErrorCode.InvalidReplicaAssignment, $"Replica assignment must be [{broker.NodeId}] on this single-node cluster.");
                }
            }
            if (partitions == -2 || wanted.ReplicationFactor != -1)
            {
                return Fail(result, ErrorCode.InvalidRequest, "Both numPartitions or replicationFactor and replicasAssignments were set. Both cannot be used at the same time.");
            }
        }
        if (wanted.ReplicationFactor is not (-1 or 1))
        {
            return Fail(result, ErrorCode.InvalidReplicationFactor, $"Unable to replicate the partition {wanted.ReplicationFactor} time(s): The target replication factor of {wanted.ReplicationFactor} cannot be reached because only 1 broker(s) are registered.");
        }
        var configs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (CreateTopicsRequest.CreateableTopicConfig config in wanted.Configs)
        {
            if (config.Value is not null)
            {
                configs[config.Name] = config.Value;
            }
        }
        TopicChange change = await broker.CreateTopicAsync(wanted.Name, partitions, configs, validateOnly, cancellationToken);
        if (change.Error != ErrorCode.None)
        {
            return Fail(result, change.Error, change.Message);
        }
        result.NumPartitions = partitions;
        result.ReplicationFactor = 1;
        result.TopicId = change.Topic?.Id ?? default;
        result.Configs = [];
        foreach ((string name, string defaultValue) in TopicConfigs.Defaults)
        {
            bool overridden = configs.TryGetValue(name, out string? value);
            result.Configs.Add(new CreateTopicsResponse.CreatableTopicConfigs
            {
                Name = name,
                Value = overridden ? value : defaultValue,
                ConfigSource = overridden ? ConfigSources.TopicOverride : ConfigSources.Default,
            });
        }
        return result;
    }

    private static CreateTopicsResponse.CreatableTopicResult Fail(CreateTopicsResponse.CreatableTopicResult result, ErrorCode error, string? message)
    {
        result.ErrorCode = (short)error;
        result.ErrorMessage = message;
        return result;
    }
}
