using Brook.Broker.Cluster;
using Brook.Broker.Partitions;
using Brook.Protocol.Errors;
using Brook.Protocol.Messages;

namespace Brook.Broker.Handlers;

/// <summary>DescribeProducers (61): the producers a partition remembers: epoch, last sequence, coordinator epoch and the start of an ongoing transaction.</summary>
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
                foreach (ProducerDescription producer in partition.DescribeProducers())
                {
                    answer.ActiveProducers.Add(new DescribeProducersResponse.ProducerState
                    {
                        ProducerId = producer.ProducerId,
                        ProducerEpoch = producer.Epoch,
                        LastSequence = producer.LastSequence,
                        CoordinatorEpoch = producer.CoordinatorEpoch,
                        CurrentTxnStartOffset = producer.CurrentTxnStartOffset,
                    });
                }
            }
        }
        return Done(response);
    }
}
