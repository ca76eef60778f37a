using Brook.Broker.Cluster;
using Brook.Broker.Transactions;
using Brook.Protocol.Errors;
using Brook.Protocol.Messages;

namespace Brook.Broker.Handlers;

/// <summary>DescribeTransactions (65): state, producer, timeout, start and partitions of each id; TRANSACTIONAL_ID_NOT_FOUND for unknown ones.</summary>
public sealed class DescribeTransactionsHandler(KafkaBroker broker) : ApiHandler<DescribeTransactionsRequest>
{
    public override ApiKey Key => ApiKey.DescribeTransactions;

    public override ApiVersionRange Versions => new(0, 0);

    protected override ValueTask<ApiResult> HandleAsync(RequestContext context, DescribeTransactionsRequest request, CancellationToken cancellationToken)
    {
        var response = new DescribeTransactionsResponse();
        foreach (string id in request.TransactionalIds)
        {
            var state = new DescribeTransactionsResponse.TransactionStateData { TransactionalId = id, TransactionState = "", ProducerId = -1, ProducerEpoch = -1, TransactionStartTimeMs = -1 };
            if (broker.Transactions.Describe(id) is not { } described)
            {
                state.ErrorCode = (short)ErrorCode.TransactionalIdNotFound;
            }
            else
            {
                state.TransactionState = described.State.Name();
                state.TransactionTimeoutMs = described.TimeoutMs;
                state.TransactionStartTimeMs = described.StartTimestamp;
                state.ProducerId = described.ProducerId;
                state.ProducerEpoch = described.ProducerEpoch;
                foreach ((string topic, int partition) in described.Partitions)
                {
                    DescribeTransactionsResponse.TopicData? data = state.Topics.Count > 0 && state.Topics[^1].Topic == topic ? state.Topics[^1] : null;
                    if (data is null)
                    {
                        data = new DescribeTransactionsResponse.TopicData { Topic = topic };
                        state.Topics.Add(data);
                    }
                    data.Partitions.Add(partition);
                }
            }
            response.TransactionStates.Add(state);
        }
        return Done(response);
    }
}
