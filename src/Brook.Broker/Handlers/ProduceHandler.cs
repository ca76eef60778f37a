using Brook.Broker.Cluster;
using Brook.Broker.Partitions;
using Brook.Protocol.Errors;
using Brook.Protocol.Messages;
using Brook.Protocol.Records;

namespace Brook.Broker.Handlers;

/// <summary>
/// Produce (0): one magic-2 batch per partition, checked (<see cref="ProducedBatch"/>: CRC,
/// records, size, codec, timestamps), appended in place (the broker stamps offsets and leader
/// epoch into the request buffer) unless the topic's compression.type asks for a rewrite, with
/// idempotent-producer and transaction checks (a transaction's first batch per partition is
/// verified with the coordinator, KIP-890). acks=-1 is answered once the batch is committed (fsync'd),
/// and a transaction's batch also once the coordinator's record of the transaction is;
/// acks=1 once appended; acks=0 not at all (a failure closes the connection).
/// </summary>
public sealed class ProduceHandler(KafkaBroker broker) : ApiHandler<ProduceRequest>
{
    public override ApiKey Key => ApiKey.Produce;

    public override ApiVersionRange Versions => new(3, 11);

    protected override async ValueTask<ApiResult> HandleAsync(RequestContext context, ProduceRequest request, CancellationToken cancellationToken)
    {
        var response = new ProduceResponse();
        short firstError = 0;
        bool transactional = false;
        List<(ProduceResponse.PartitionProduceResponse Response, PartitionLeader Partition, long EndOffset)>? toCommit = null;
        using var produced = new ProducedBatch();
        long now = broker.Time.GetUtcNow().ToUnixTimeMilliseconds();
        // A transaction's data is appended only once the coordinator's record of the previous transaction is committed (TransactionCoordinator.Recording).
        ErrorCode previousTransaction = request.TransactionalId is { } transactionalId && broker.TransactionVerifier is { } gate
            ? await gate.WaitUntilPreviousTransactionCommittedAsync(transactionalId, cancellationToken)
            : ErrorCode.None;
        foreach (ProduceRequest.TopicProduceData topicData in request.TopicData)
        {
            var topicResponse = new ProduceResponse.TopicProduceResponse { Name = topicData.Name };
            response.Responses.Add(topicResponse);
            broker.TryGetTopic(topicData.Name, out TopicState? topic);
            foreach (ProduceRequest.PartitionProduceData partitionData in topicData.PartitionData)
            {
                var partitionResponse = new ProduceResponse.PartitionProduceResponse { Index = partitionData.Index };
                topicResponse.PartitionResponses.Add(partitionResponse);
                PartitionLeader? partition = topic?.Partition(partitionData.Index);
                Span<byte> batch = default;
                (string Text, int? RecordIndex)? refusal = null;
                ErrorCode error = request.Acks is not (0 or 1 or -1) ? ErrorCode.InvalidRequiredAcks
                    : partition is null ? ErrorCode.UnknownTopicOrPartition
                    : ErrorCode.None;
                if (error == ErrorCode.None)
                {
                    error = produced.Prepare(partitionData.Records, topic!.ProduceRules, context.ApiVersion, now, out batch);
                    refusal = produced.ErrorMessage is { } why ? (why, produced.FailedRecordIndex) : null;
                }
                if (error == ErrorCode.None)
                {
                    AppendOutcome outcome = Append(partition!, batch, request.TransactionalId, previousTransaction, topicData.Name, partitionData.Index);
                    error = outcome.Error;
                    if (error == ErrorCode.None)
                    {
                        var header = new RecordBatchHeader(batch);
                        // Bytes as the client sent them, as Kafka's BytesInPerSec (a rewrite for compression.type may store more or fewer).
                        broker.Metrics.RecordProduced(topic!, partitionData.Records!.Value.Length, header.RecordsCount);
                        transactional |= header.IsTransactional;
                    }
                    partitionResponse.BaseOffset = outcome.FirstOffset;
                    partitionResponse.LogAppendTimeMs = outcome.LogAppendTime;
                    partitionResponse.LogStartOffset = outcome.LogStartOffset;
                    if (error == ErrorCode.None && request.Acks == -1)
                    {
                        (toCommit ??= []).Add((partitionResponse, partition!, outcome.EndOffset));
                    }
                    else if (error == ErrorCode.None)
                    {
                        partition!.CommitInBackground(outcome.EndOffset);
                    }
                }
                if (error != ErrorCode.None)
                {
                    partitionResponse.ErrorCode = (short)error;
                    partitionResponse.BaseOffset = -1;
                    if (refusal is { } refused)
                    {
                        partitionResponse.ErrorMessage = refused.Text;
                        if (refused.RecordIndex is { } index)
                        {
                            partitionResponse.RecordErrors.Add(new ProduceResponse.BatchIndexAndErrorMessage { BatchIndex = index, BatchIndexErrorMessage = refused.Text });
                        }
                    }
                    firstError = firstError == 0 ? (short)error : firstError;
                }
            }
        }
        if (request.Acks == 0)
        {
            return firstError == 0 ? ApiResult.NoResponse() : ApiResult.Close(firstError);
        }
        if (toCommit is not null)
        {
            // The transaction's own record must be committed too before its data is acknowledged (TransactionCoordinator.Recording).
            ValueTask<ErrorCode> recorded = transactional && broker.TransactionVerifier is { } verifier
                ? verifier.WaitUntilTransactionRecordedAsync(request.TransactionalId!, cancellationToken)
                : default;
            firstError = await CommitAllAsync(toCommit, firstError, cancellationToken);
            ErrorCode recordError = await recorded;
            if (recordError != ErrorCode.None)
            {
                foreach ((ProduceResponse.PartitionProduceResponse partitionResponse, _, _) in toCommit)
                {
                    firstError = Committed(partitionResponse, recordError, firstError);
                }
            }
        }
        return new ApiResult(response, firstError);
    }

    /// <summary>
    /// acks=all: every partition's fsync is started on the flusher's workers before any is
    /// awaited, so they run concurrently and the request waits about one fsync, not one per
    /// partition (group commit across partitions; requests sharing a partition share its fsync).
    /// </summary>
    private static async ValueTask<short> CommitAllAsync(
        List<(ProduceResponse.PartitionProduceResponse Response, PartitionLeader Partition, long EndOffset)> toCommit,
        short firstError, CancellationToken cancellationToken)
    {
        var pending = new ValueTask<ErrorCode>[toCommit.Count];
        for (int i = 0; i < pending.Length; i++)
        {
            pending[i] = toCommit[i].Partition.WaitUntilCommittedAsync(toCommit[i].EndOffset, cancellationToken);
        }
        for (int i = 0; i < pending.Length; i++)
        {
            firstError = Committed(toCommit[i].Response, await pending[i], firstError);
        }
        return firstError;
    }

    private static short Committed(ProduceResponse.PartitionProduceResponse response, ErrorCode committed, short firstError)
    {
        if (committed == ErrorCode.None)
        {
            return firstError;
        }
        response.ErrorCode = (short)committed;
        return firstError == 0 ? (short)committed : firstError;
    }

    /// <summary>
    /// Appends a batch; a transaction's first batch on the partition is first verified with the
    /// transaction coordinator (KIP-890), later ones of the same transaction are not.
    /// </summary>
    private AppendOutcome Append(PartitionLeader partition, Span<byte> batch, string? transactionalId, ErrorCode previousTransaction, string topic, int index)
    {
        var header = new RecordBatchHeader(batch);
        if (!header.IsTransactional)
        {
            return partition.Append(batch);
        }
        if (transactionalId is null)
        {
            return AppendOutcome.Failed(ErrorCode.TransactionalIdAuthorizationFailed);
        }
        if (previousTransaction != ErrorCode.None)
        {
            return AppendOutcome.Failed(previousTransaction);
        }
        if (broker.TransactionVerifier is not { } verifier || !partition.NeedsTransactionVerification(header.ProducerId, out long token))
        {
            return partition.Append(batch);
        }
        ErrorCode verified = verifier.VerifyPartitionInTransaction(transactionalId, header.ProducerId, header.ProducerEpoch, topic, index);
        return verified == ErrorCode.None ? partition.Append(batch, token) : AppendOutcome.Failed(verified);
    }
}
