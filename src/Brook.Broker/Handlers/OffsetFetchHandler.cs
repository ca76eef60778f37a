using Brook.Broker.Cluster;
using Brook.Protocol.Errors;
using Brook.Protocol.Messages;

namespace Brook.Broker.Handlers;

/// <summary>OffsetFetch (9): committed offsets (-1 when none); null topics (v2+) mean all of the group's; v8+ asks for several groups; v9 checks a KIP-848 member's epoch.</summary>
public sealed class OffsetFetchHandler(KafkaBroker broker) : ApiHandler<OffsetFetchRequest>
{
    public override ApiKey Key => ApiKey.OffsetFetch;

    public override ApiVersionRange Versions => new(0, 9);

    protected override ValueTask<ApiResult> HandleAsync(RequestContext context, OffsetFetchRequest request, CancellationToken cancellationToken)
    {
        var response = new OffsetFetchResponse();
        if (context.ApiVersion >= 8)
        {
            foreach (OffsetFetchRequest.OffsetFetchRequestGroup group in request.Groups)
            {
                var groupResponse = new OffsetFetchResponse.OffsetFetchResponseGroup { GroupId = group.GroupId };
                // v9: a KIP-848 member names its epoch; a stale one gets the group-level error and no offsets.
                ErrorCode memberError = context.ApiVersion >= 9 ? broker.Groups.ValidateOffsetFetch(group.GroupId, group.MemberId, group.MemberEpoch) : ErrorCode.None;
                if (memberError != ErrorCode.None)
                {
                    groupResponse.ErrorCode = (short)memberError;
                    response.Groups.Add(groupResponse);
                    continue;
                }
                var wanted = group.Topics is null ? null : Wanted(group.Topics.ConvertAll(t => (t.Name, t.PartitionIndexes)));
                broker.Groups.TryFetchOffsets(group.GroupId, wanted, out var offsets);
                foreach (var (topic, partition, value) in offsets)
                {
                    OffsetFetchResponse.OffsetFetchResponseTopics? topicResponse = groupResponse.Topics.Find(t => t.Name == topic);
                    if (topicResponse is null)
                    {
                        topicResponse = new OffsetFetchResponse.OffsetFetchResponseTopics { Name = topic };
                        groupResponse.Topics.Add(topicResponse);
                    }
                    bool unstable = request.RequireStable && broker.Groups.HasPendingTransactionalOffset(group.GroupId, topic, partition);
                    topicResponse.Partitions.Add(new OffsetFetchResponse.OffsetFetchResponsePartitions
                    {
                        PartitionIndex = partition,
                        CommittedOffset = unstable ? -1 : value?.Offset ?? -1,
                        CommittedLeaderEpoch = unstable ? -1 : value?.LeaderEpoch ?? -1,
                        Metadata = unstable ? "" : value?.Metadata ?? "",
                        ErrorCode = unstable ? (short)ErrorCode.UnstableOffsetCommit : (short)0,
                    });
                }
                response.Groups.Add(groupResponse);
            }
            return Done(response);
        }
        var single = request.Topics is null ? null : Wanted(request.Topics.ConvertAll(t => (t.Name, t.PartitionIndexes)));
        if (single is null && context.ApiVersion < 2)
        {
            single = [];
        }
        broker.Groups.TryFetchOffsets(request.GroupId, single, out var found);
        foreach (var (topic, partition, value) in found)
        {
            OffsetFetchResponse.OffsetFetchResponseTopic? topicResponse = response.Topics.Find(t => t.Name == topic);
            if (topicResponse is null)
            {
                topicResponse = new OffsetFetchResponse.OffsetFetchResponseTopic { Name = topic };
                response.Topics.Add(topicResponse);
            }
            // require_stable (v7): offsets a transaction has not ended yet are UNSTABLE_OFFSET_COMMIT.
            bool unstable = context.ApiVersion >= 7 && request.RequireStable && broker.Groups.HasPendingTransactionalOffset(request.GroupId, topic, partition);
            topicResponse.Partitions.Add(new OffsetFetchResponse.OffsetFetchResponsePartition
            {
                PartitionIndex = partition,
                CommittedOffset = unstable ? -1 : value?.Offset ?? -1,
                CommittedLeaderEpoch = unstable ? -1 : value?.LeaderEpoch ?? -1,
                Metadata = unstable ? "" : value?.Metadata ?? "",
                ErrorCode = unstable ? (short)ErrorCode.UnstableOffsetCommit : (short)0,
            });
        }
        return Done(response);
    }

    private static List<(string Topic, int Partition)> Wanted(List<(string Name, List<int> Partitions)> topics)
    {
        var wanted = new List<(string Topic, int Partition)>();
        foreach ((string name, List<int> partitions) in topics)
        {
            foreach (int partition in partitions)
            {
                wanted.Add((name, partition));
            }
        }
        return wanted;
    }
}
