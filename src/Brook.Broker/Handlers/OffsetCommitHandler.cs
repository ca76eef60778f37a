using Brook.Broker.Cluster;
using Brook.Broker.Groups;
using Brook.Protocol.Errors;
using Brook.Protocol.Messages;

namespace Brook.Broker.Handlers;

/// <summary>OffsetCommit (8): validated against the group's generation and member, written to <c>__consumer_offsets</c>, answered once committed.</summary>
public sealed class OffsetCommitHandler(KafkaBroker broker) : ApiHandler<OffsetCommitRequest>
{
    public override ApiKey Key => ApiKey.OffsetCommit;

    public override ApiVersionRange Versions => new(0, 9);

    protected override async ValueTask<ApiResult> HandleAsync(RequestContext context, OffsetCommitRequest request, CancellationToken cancellationToken)
    {
        var entries = new List<OffsetCommitEntry>();
        foreach (OffsetCommitRequest.OffsetCommitRequestTopic topic in request.Topics)
        {
            foreach (OffsetCommitRequest.OffsetCommitRequestPartition partition in topic.Partitions)
            {
                entries.Add(new OffsetCommitEntry(topic.Name, partition.PartitionIndex, partition.CommittedOffset,
                    context.ApiVersion >= 6 ? partition.CommittedLeaderEpoch : -1, partition.CommittedMetadata));
            }
        }
        // v0 has no generation or member: it commits like an admin client.
        var committer = new OffsetCommitter(request.GroupId, context.ApiVersion >= 1 ? request.GenerationIdOrMemberEpoch : -1,
            context.ApiVersion >= 1 ? request.MemberId : "", context.ApiVersion >= 7 ? request.GroupInstanceId : null);
        ErrorCode[] errors = await broker.Groups.CommitOffsetsAsync(committer, entries, cancellationToken);
        var response = new OffsetCommitResponse();
        short firstError = 0;
        int i = 0;
        foreach (OffsetCommitRequest.OffsetCommitRequestTopic topic in request.Topics)
        {
            var topicResponse = new OffsetCommitResponse.OffsetCommitResponseTopic { Name = topic.Name };
            response.Topics.Add(topicResponse);
            foreach (OffsetCommitRequest.OffsetCommitRequestPartition partition in topic.Partitions)
            {
                short error = (short)errors[i++];
                topicResponse.Partitions.Add(new OffsetCommitResponse.OffsetCommitResponsePartition { PartitionIndex = partition.PartitionIndex, ErrorCode = error });
                firstError = firstError == 0 ? error : firstError;
            }
        }
        return new ApiResult(response, firstError);
    }
}
