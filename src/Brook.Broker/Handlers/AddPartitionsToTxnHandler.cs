using Brook.Broker.Cluster;
using Brook.Protocol.Errors;
using Brook.Protocol.Messages;

namespace Brook.Broker.Handlers;

/// <summary>
/// AddPartitionsToTxn (24): v0-3 from producers, one transaction; v4+ a batch of transactions,
/// as brokers send it, each either added or (verify_only, KIP-890) only checked. Unknown
/// partitions fail the whole transaction's request: UNKNOWN_TOPIC_OR_PARTITION for them and
/// OPERATION_NOT_ATTEMPTED for the others, as Kafka answers.
/// </summary>
public sealed class AddPartitionsToTxnHandler(KafkaBroker broker) : ApiHandler<AddPartitionsToTxnRequest>
{
    public override ApiKey Key => ApiKey.AddPartitionsToTxn;

    public override ApiVersionRange Versions => new(0, 5);

    protected override async ValueTask<ApiResult> HandleAsync(RequestContext context, AddPartitionsToTxnRequest request, CancellationToken cancellationToken)
    {
        var response = new AddPartitionsToTxnResponse();
        if (context.ApiVersion < 4)
        {
            ErrorCode[] errors = await AddAsync(request.V3AndBelowTransactionalId, request.V3AndBelowProducerId, request.V3AndBelowProducerEpoch,
                request.V3AndBelowTopics, verifyOnly: false, context.ApiVersion, cancellationToken);
            response.ResultsByTopicV3AndBelow = Results(request.V3AndBelowTopics, errors);
            return new ApiResult(response, errors.Length > 0 ? (short)errors[0] : (short)0);
        }
        foreach (AddPartitionsToTxnRequest.AddPartitionsToTxnTransaction transaction in request.Transactions)
        {
            ErrorCode[] errors = await AddAsync(transaction.TransactionalId, transaction.ProducerId, transaction.ProducerEpoch,
                transaction.Topics, transaction.VerifyOnly, context.ApiVersion, cancellationToken);
            response.ResultsByTransaction.Add(new AddPartitionsToTxnResponse.AddPartitionsToTxnResult
            {
                TransactionalId = transaction.TransactionalId,
                TopicResults = Results(transaction.Topics, errors),
            });
        }
        return new ApiResult(response);
    }

    private async Task<ErrorCode[]> AddAsync(string transactionalId, long producerId, short producerEpoch,
        List<AddPartitionsToTxnRequest.AddPartitionsToTxnTopic> topics, bool verifyOnly, short version, CancellationToken cancellationToken)
    {
        var partitions = new List<(string Topic, int Partition)>();
        foreach (AddPartitionsToTxnRequest.AddPartitionsToTxnTopic topic in topics)
        {
            foreach (int partition in topic.Partitions)
            {
                partitions.Add((topic.Name, partition));
            }
        }
        if (verifyOnly)
        {
            return broker.Transactions.VerifyPartitions(transactionalId, producerId, producerEpoch, partitions);
        }
        var errors = new ErrorCode[partitions.Count];
        bool unknown = false;
        for (int i = 0; i < partitions.Count; i++)
        {
            if (broker.FindPartition(partitions[i].Topic, partitions[i].Partition) is null)
            {
                errors[i] = ErrorCode.UnknownTopicOrPartition;
                unknown = true;
            }
        }
        if (unknown)
        {
            for (int i = 0; i < errors.Length; i++)
            {
                errors[i] = errors[i] == ErrorCode.None ? ErrorCode.OperationNotAttempted : errors[i];
            }
            return errors;
        }
        ErrorCode error = await broker.Transactions.AddPartitionsAsync(transactionalId, producerId, producerEpoch, partitions, cancellationToken);
        Array.Fill(errors, TransactionRequests.ForVersion(error, version, 2));
        return errors;
    }

    private static List<AddPartitionsToTxnResponse.AddPartitionsToTxnTopicResult> Results(List<AddPartitionsToTxnRequest.AddPartitionsToTxnTopic> topics, ErrorCode[] errors)
    {
        var results = new List<AddPartitionsToTxnResponse.AddPartitionsToTxnTopicResult>(topics.Count);
        int i = 0;
        foreach (AddPartitionsToTxnRequest.AddPartitionsToTxnTopic topic in topics)
        {
            var result = new AddPartitionsToTxnResponse.AddPartitionsToTxnTopicResult { Name = topic.Name };
            foreach (int partition in topic.Partitions)
            {
                result.ResultsByPartition.Add(new AddPartitionsToTxnResponse.AddPartitionsToTxnPartitionResult { PartitionIndex = partition, PartitionErrorCode = (short)errors[i++] });
            }
            results.Add(result);
        }
        return results;
    }
}
