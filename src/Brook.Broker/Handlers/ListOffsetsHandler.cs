using Brook.Broker.Cluster;
using Brook.Broker.Partitions;
using Brook.Protocol.Errors;
using Brook.Protocol.Messages;
using Brook.Storage;

namespace Brook.Broker.Handlers;

/// <summary>
/// ListOffsets (2): earliest (-2), latest (-1, the high watermark; the last stable offset for
/// isolation_level 1), max timestamp (-3), or the first offset at or after a timestamp.
/// </summary>
public sealed class ListOffsetsHandler(KafkaBroker broker) : ApiHandler<ListOffsetsRequest>
{
    private const sbyte ReadCommitted = 1;

    public override ApiKey Key => ApiKey.ListOffsets;

    public override ApiVersionRange Versions => new(1, 8);

    protected override ValueTask<ApiResult> HandleAsync(RequestContext context, ListOffsetsRequest request, CancellationToken cancellationToken)
    {
        var response = new ListOffsetsResponse();
        foreach (ListOffsetsRequest.ListOffsetsTopic topic in request.Topics)
        {
            var topicResponse = new ListOffsetsResponse.ListOffsetsTopicResponse { Name = topic.Name };
            response.Topics.Add(topicResponse);
            foreach (ListOffsetsRequest.ListOffsetsPartition wanted in topic.Partitions)
            {
                PartitionLeader? partition = broker.FindPartition(topic.Name, wanted.PartitionIndex);
                var answer = new ListOffsetsResponse.ListOffsetsPartitionResponse { PartitionIndex = wanted.PartitionIndex };
                topicResponse.Partitions.Add(answer);
                if (partition is null)
                {
                    answer.ErrorCode = (short)ErrorCode.UnknownTopicOrPartition;
                    continue;
                }
                TimestampOffset found = Lookup(partition, wanted.Timestamp, request.IsolationLevel == ReadCommitted);
                answer.Timestamp = found.Timestamp;
                answer.Offset = found.Offset;
                // LeaderEpoch exists from v4 and is not ignorable.
                answer.LeaderEpoch = found.Offset >= 0 && context.ApiVersion >= 4 ? partition.LeaderEpoch : -1;
            }
        }
        return Done(response);
    }

    private static TimestampOffset Lookup(PartitionLeader partition, long timestamp, bool readCommitted)
    {
        // read_committed consumers see up to the last stable offset, so that is their "latest".
        long highWatermark = readCommitted ? Math.Min(partition.LastStableOffset, partition.HighWatermark) : partition.HighWatermark;
        switch (timestamp)
        {
            case ListOffsetsTimestamp.Latest:
                return new TimestampOffset(-1, highWatermark);
            case ListOffsetsTimestamp.Earliest:
                return new TimestampOffset(-1, partition.Log.LogStartOffset);
            default:
                TimestampOffset found = partition.Log.OffsetForTimestamp(timestamp);
                // Offsets not yet committed are not visible to consumers, so they are not listed either.
                return found.Offset >= highWatermark ? TimestampOffset.None : found;
        }
    }
}
