using Brook.Broker.Cluster;
using Brook.Broker.Partitions;
using Brook.Protocol.Errors;
using Brook.Protocol.Messages;

namespace Brook.Broker.Handlers;

/// <summary>OffsetForLeaderEpoch (23): the end offset of the requested epoch, from the log's epoch cache (consumers use it to detect truncation).</summary>
public sealed class OffsetForLeaderEpochHandler(KafkaBroker broker) : ApiHandler<OffsetForLeaderEpochRequest>
{
    public override ApiKey Key => ApiKey.OffsetForLeaderEpoch;

    public override ApiVersionRange Versions => new(0, 4);

    protected override ValueTask<ApiResult> HandleAsync(RequestContext context, OffsetForLeaderEpochRequest request, CancellationToken cancellationToken)
    {
        var response = new OffsetForLeaderEpochResponse();
        foreach (OffsetForLeaderEpochRequest.OffsetForLeaderTopic topic in request.Topics)
        {
            var topicResult = new OffsetForLeaderEpochResponse.OffsetForLeaderTopicResult { Topic = topic.Topic };
            response.Topics.Add(topicResult);
            foreach (OffsetForLeaderEpochRequest.OffsetForLeaderPartition wanted in topic.Partitions)
            {
                var result = new OffsetForLeaderEpochResponse.EpochEndOffset { Partition = wanted.Partition };
                topicResult.Partitions.Add(result);
                PartitionLeader? partition = broker.FindPartition(topic.Topic, wanted.Partition);
                if (partition is null)
                {
                    result.ErrorCode = (short)ErrorCode.UnknownTopicOrPartition;
                    continue;
                }
                if (wanted.CurrentLeaderEpoch > partition.LeaderEpoch)
                {
                    result.ErrorCode = (short)ErrorCode.UnknownLeaderEpoch;
                    continue;
                }
                if (wanted.CurrentLeaderEpoch >= 0 && wanted.CurrentLeaderEpoch < partition.LeaderEpoch)
                {
                    result.ErrorCode = (short)ErrorCode.FencedLeaderEpoch;
                    continue;
                }
                (int epoch, long endOffset) = partition.Log.EpochCache.EndOffsetFor(wanted.LeaderEpoch, partition.HighWatermark);
                result.LeaderEpoch = epoch;
                result.EndOffset = endOffset;
            }
        }
        return Done(response);
    }
}
