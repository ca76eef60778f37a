using Brook.Broker.Cluster;
using Brook.Broker.Partitions;
using Brook.Protocol.Errors;
using Brook.Protocol.Messages;

namespace Brook.Broker.Handlers;

/// <summary>Metadata (3): this node as the only broker and controller, the topics asked for (all when null), auto-creating unknown ones.</summary>
public sealed class MetadataHandler(KafkaBroker broker) : ApiHandler<MetadataRequest>
{
    public override ApiKey Key => ApiKey.Metadata;

    public override ApiVersionRange Versions => new(0, 12);

    protected override async ValueTask<ApiResult> HandleAsync(RequestContext context, MetadataRequest request, CancellationToken cancellationToken)
    {
        var address = broker.AdvertisedAddress;
        var response = new MetadataResponse
        {
            Brokers = [new MetadataResponse.MetadataResponseBroker { NodeId = broker.NodeId, Host = address.Host, Port = address.Port }],
            ClusterId = broker.ClusterId,
            ControllerId = broker.NodeId,
        };
        // v0 used an empty list for "all topics"; v1+ use null.
        bool allTopics = request.Topics is null || (context.ApiVersion == 0 && request.Topics.Count == 0);
        if (allTopics)
        {
            foreach (TopicState topic in broker.Topics)
            {
                response.Topics.Add(Describe(topic));
            }
            return new ApiResult(response);
        }
        bool autoCreate = broker.Options.AutoCreateTopics && (context.ApiVersion < 4 || request.AllowAutoTopicCreation);
        foreach (MetadataRequest.MetadataRequestTopic wanted in request.Topics!)
        {
            response.Topics.Add(await ResolveAsync(wanted, autoCreate, cancellationToken));
        }
        return new ApiResult(response);
    }

    private async Task<MetadataResponse.MetadataResponseTopic> ResolveAsync(MetadataRequest.MetadataRequestTopic wanted, bool autoCreate, CancellationToken cancellationToken)
    {
        if (wanted.Name is null)
        {
            return broker.TryGetTopic(wanted.TopicId, out TopicState byId)
                ? Describe(byId)
                : new MetadataResponse.MetadataResponseTopic { Name = null, TopicId = wanted.TopicId, ErrorCode = (short)ErrorCode.UnknownTopicId };
        }
        if (broker.TryGetTopic(wanted.Name, out TopicState topic))
        {
            return Describe(topic);
        }
        if (!TopicNames.IsValid(wanted.Name) || TopicNames.IsReserved(wanted.Name))
        {
            return new MetadataResponse.MetadataResponseTopic { Name = wanted.Name, ErrorCode = (short)ErrorCode.InvalidTopicException };
        }
        if (autoCreate)
        {
            TopicChange created = await broker.CreateTopicAsync(wanted.Name, broker.Options.DefaultPartitions, new Dictionary<string, string>(), false, cancellationToken);
            if (created.Topic is not null)
            {
                return Describe(created.Topic);
            }
            if (broker.TryGetTopic(wanted.Name, out TopicState raced))
            {
                return Describe(raced);
            }
            return new MetadataResponse.MetadataResponseTopic { Name = wanted.Name, ErrorCode = (short)created.Error };
        }
        return new MetadataResponse.MetadataResponseTopic { Name = wanted.Name, ErrorCode = (short)ErrorCode.UnknownTopicOrPartition };
    }

    private MetadataResponse.MetadataResponseTopic Describe(TopicState topic)
    {
        var described = new MetadataResponse.MetadataResponseTopic { Name = topic.Name, TopicId = topic.Id, IsInternal = TopicNames.IsInternal(topic.Name) };
        foreach (PartitionLeader partition in topic.Partitions)
        {
            described.Partitions.Add(new MetadataResponse.MetadataResponsePartition
            {
                PartitionIndex = partition.Id.Partition,
                LeaderId = broker.NodeId,
                LeaderEpoch = partition.LeaderEpoch,
                ReplicaNodes = [broker.NodeId],
                IsrNodes = [broker.NodeId],
            });
        }
        return described;
    }
}
