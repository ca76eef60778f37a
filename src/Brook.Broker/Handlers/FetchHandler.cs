using Brook.Broker.Cluster;
using Brook.Broker.Partitions;
using Brook.Protocol.Errors;
using Brook.Protocol.Compression;
using Brook.Protocol.Messages;
using Brook.Storage;

namespace Brook.Broker.Handlers;

/// <summary>
/// Fetch (1), v4 to v16, sessionless (KIP-227 session id 0): reads each partition up to the high
/// watermark within the request's and partition's byte limits (the first batch whole, KIP-74),
/// and long-polls until min_bytes arrive or max_wait_ms passes, woken by each partition's
/// high-watermark signal. A request to open a session is answered with session id 0, which tells
/// the client no session was created and it keeps sending full fetches.
/// </summary>
public sealed class FetchHandler(KafkaBroker broker) : ApiHandler<FetchRequest>
{
    private const int TopicIdsVersion = 13;

    public override ApiKey Key => ApiKey.Fetch;

    public override ApiVersionRange Versions => new(4, 16);

    protected override async ValueTask<ApiResult> HandleAsync(RequestContext context, FetchRequest request, CancellationToken cancellationToken)
    {
        if (request.SessionId != 0)
        {
            return new ApiResult(new FetchResponse { ErrorCode = (short)ErrorCode.FetchSessionIdNotFound, SessionId = 0 }, (short)ErrorCode.FetchSessionIdNotFound);
        }
        bool byId = context.ApiVersion >= TopicIdsVersion;
        TimeProvider time = broker.Time;
        long deadline = time.GetTimestamp() + (long)(Math.Max(0, request.MaxWaitMs) * (time.TimestampFrequency / 1000.0));
        var buffers = new FetchBuffers();
        try
        {
            while (true)
            {
                List<Task>? signals = request.MaxWaitMs > 0 ? [] : null;
                FetchResponse response = Read(request, byId, buffers, signals, out bool hasError);
                TimeSpan remaining = time.GetElapsedTime(time.GetTimestamp(), deadline);
                if (hasError || buffers.TotalBytes >= Math.Max(1, request.MinBytes) || signals is null || remaining <= TimeSpan.Zero || signals.Count == 0)
                {
                    var result = new ApiResult(response, 0, buffers);
                    buffers = null;
                    return result;
                }
                buffers.Dispose();
                signals.Add(Task.Delay(remaining, time, cancellationToken));
                await Task.WhenAny(signals);
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
        finally
        {
            buffers?.Dispose();
        }
    }

    private FetchResponse Read(FetchRequest request, bool byId, FetchBuffers buffers, List<Task>? signals, out bool hasError)
    {
        hasError = false;
        var response = new FetchResponse();
        long responseBudget = request.MaxBytes <= 0 ? int.MaxValue : request.MaxBytes;
        foreach (FetchRequest.FetchTopic fetchTopic in request.Topics)
        {
            TopicState? topic = null;
            bool found = byId ? broker.TryGetTopic(fetchTopic.TopicId, out topic) : broker.TryGetTopic(fetchTopic.Topic, out topic);
            var topicResponse = new FetchResponse.FetchableTopicResponse { Topic = fetchTopic.Topic, TopicId = fetchTopic.TopicId };
            response.Responses.Add(topicResponse);
            foreach (FetchRequest.FetchPartition fetchPartition in fetchTopic.Partitions)
            {
                var data = new FetchResponse.PartitionData { PartitionIndex = fetchPartition.Partition, Records = ReadOnlyMemory<byte>.Empty };
                topicResponse.Partitions.Add(data);
                PartitionLeader? partition = found ? topic!.Partition(fetchPartition.Partition) : null;
                if (partition is null)
                {
                    data.ErrorCode = (short)(byId && !found ? ErrorCode.UnknownTopicId : ErrorCode.UnknownTopicOrPartition);
                    data.HighWatermark = -1;
                    hasError = true;
                    continue;
                }
                signals?.Add(partition.HighWatermarkAdvanced);
                int budget = (int)Math.Min(Math.Max(0, fetchPartition.PartitionMaxBytes), responseBudget - buffers.TotalBytes);
                ErrorCode error = ReadPartition(partition, fetchPartition.FetchOffset, budget, buffers.TotalBytes == 0, buffers, data);
                if (error != ErrorCode.None)
                {
                    data.ErrorCode = (short)error;
                    hasError = true;
                }
            }
        }
        return response;
    }

    private static ErrorCode ReadPartition(PartitionLeader partition, long offset, int budget, bool firstWithData, FetchBuffers buffers, FetchResponse.PartitionData data)
    {
        PartitionLog log = partition.Log;
        long highWatermark = partition.HighWatermark;
        data.HighWatermark = highWatermark;
        data.LastStableOffset = highWatermark;
        data.LogStartOffset = log.LogStartOffset;
        if (offset < log.LogStartOffset || offset > log.LogEndOffset)
        {
            return ErrorCode.OffsetOutOfRange;
        }
        if (offset >= highWatermark || (budget <= 0 && !firstWithData))
        {
            return ErrorCode.None;
        }
        using LogReadResult read = log.Read(offset, Math.Max(budget, 1), highWatermark, minOneBatch: firstWithData);
        if (read.Error != StorageErrorCode.None)
        {
            return (ErrorCode)(short)read.Error;
        }
        if (read.IsEmpty)
        {
            return ErrorCode.None;
        }
        PooledBufferWriter buffer = buffers.Rent();
        int copied = read.CopyTo(buffer);
        buffers.Count(copied);
        data.Records = buffer.WrittenMemory;
        return ErrorCode.None;
    }
}
