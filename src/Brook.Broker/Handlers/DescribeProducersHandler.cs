using Brook.Broker.Cluster;
using Brook.Broker.Partitions;
using Brook.Protocol.Errors;
using Brook.Protocol.Messages;

namespace Brook.Broker.Handlers;

/// <summary>DescribeProducers (61): the idempotent producers a partition remembers, with their epoch and last sequence.</summary>
public sealed class DescribeProducersHandler(KafkaBroker broker) : ApiHandler<DescribeProducersRequest>
{
    public override ApiKey Key => ApiKey.DescribeProducers;

    public override ApiVersionRange Versions => new(0, 0);

    protected override ValueTask<ApiResult> HandleAsync(RequestContext context, DescribeProducersRequest request, CancellationToken cancellationToken)
    {
        var response = new DescribeProducersResponse();
        foreach (DescribeProducersRequest.TopicRequest topic in request.Topics)
        {
            var topicResponse = new DescribeProducersResponse.TopicResponse { Name = topic.Name };
            response.Topics.Add(topicResponse);
            foreach (int index in topic.PartitionIndexes)
            {
                var answer = new DescribeProducersResponse.PartitionResponse { PartitionIndex = index };
                topicResponse.Partitions.Add(answer);
                PartitionLeader? partition = broker.FindPartition(topic.Name, index);
                if (partition is null)
                {
                    answer.ErrorCode = (short)ErrorCode.UnknownTopicOrPartition;
                    continue;
                }
                foreach ((long producerId, short epoch, int lastSequence, _) in partition.DescribeProducers())
                {
                    answer.ActiveProducers.Add(new DescribeProducersResponse.ProducerState { ProducerId = producerId, ProducerEpoch = epoch, LastSequence = lastSequence });
                }
            }
        }
        return Done(response);
    }
}
