using Brook.Broker.Cluster;
using Brook.Broker.Groups;
using Brook.Protocol.Errors;
using Brook.Protocol.Messages;

namespace Brook.Broker.Handlers;

/// <summary>TxnOffsetCommit (28): offsets committed as part of the producer's transaction, visible once it commits; v3+ carries the consumer's generation and member.</summary>
public sealed class TxnOffsetCommitHandler(KafkaBroker broker) : ApiHandler<TxnOffsetCommitRequest>
{
    public override ApiKey Key => ApiKey.TxnOffsetCommit;

    public override ApiVersionRange Versions => new(0, 4);

    protected override async ValueTask<ApiResult> HandleAsync(RequestContext context, TxnOffsetCommitRequest request, CancellationToken cancellationToken)
    {
        var entries = new List<OffsetCommitEntry>();
        foreach (TxnOffsetCommitRequest.TxnOffsetCommitRequestTopic topic in request.Topics)
        {
            foreach (TxnOffsetCommitRequest.TxnOffsetCommitRequestPartition partition in topic.Partitions)
            {
                entries.Add(new OffsetCommitEntry(topic.Name, partition.PartitionIndex, partition.CommittedOffset,
                    context.ApiVersion >= 2 ? partition.CommittedLeaderEpoch : -1, partition.CommittedMetadata));
            }
        }
        var committer = new OffsetCommitter(request.GroupId, context.ApiVersion >= 3 ? request.GenerationId : -1,
            context.ApiVersion >= 3 ? request.MemberId : "", context.ApiVersion >= 3 ? request.GroupInstanceId : null);
        ErrorCode[] errors = await broker.Groups.CommitTransactionalOffsetsAsync(request.TransactionalId, request.ProducerId, request.ProducerEpoch, committer, entries, cancellationToken);
        var response = new TxnOffsetCommitResponse();
        short firstError = 0;
        int i = 0;
        foreach (TxnOffsetCommitRequest.TxnOffsetCommitRequestTopic topic in request.Topics)
        {
            var topicResponse = new TxnOffsetCommitResponse.TxnOffsetCommitResponseTopic { Name = topic.Name };
            response.Topics.Add(topicResponse);
            foreach (TxnOffsetCommitRequest.TxnOffsetCommitRequestPartition partition in topic.Partitions)
            {
                short error = (short)TransactionRequests.ForVersion(errors[i++], context.ApiVersion, 3);
                topicResponse.Partitions.Add(new TxnOffsetCommitResponse.TxnOffsetCommitResponsePartition { PartitionIndex = partition.PartitionIndex, ErrorCode = error });
                firstError = firstError == 0 ? error : firstError;
            }
        }
        return new ApiResult(response, firstError);
    }
}
