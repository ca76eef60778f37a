using Brook.Broker.Cluster;
using Brook.Broker.Partitions;
using Brook.Protocol.Errors;
using Brook.Protocol.Messages;
using Brook.Storage;

namespace Brook.Broker.Handlers;

/// <summary>
/// Fetch (1), v4 to v16: reads each partition up to the high watermark within the request's and
/// partition's byte limits (the first batch whole, KIP-74), and long-polls until min_bytes arrive
/// or max_wait_ms passes, woken by each partition's high-watermark signal (no timer loop).
/// isolation_level 1 (read_committed) reads up to the last stable offset and lists the aborted
/// transactions of the returned range. Sessionless fetches (session id 0, epoch -1) and KIP-227 sessions: epoch 0 opens one, later
/// epochs send only changed partitions both ways, epoch -1 closes it.
/// </summary>
public sealed class FetchHandler(KafkaBroker broker) : ApiHandler<FetchRequest>
{
    private const int TopicIdsVersion = 13;
    private const int InitialEpoch = 0;
    private const int FinalEpoch = -1;
    private const sbyte ReadCommitted = 1;

    private readonly FetchSessionCache _sessions = new(broker.Time);

    public override ApiKey Key => ApiKey.Fetch;

    public override ApiVersionRange Versions => new(4, 16);

    protected override async ValueTask<ApiResult> HandleAsync(RequestContext context, FetchRequest request, CancellationToken cancellationToken)
    {
        bool byId = context.ApiVersion >= TopicIdsVersion;
        FetchSession? session = null;
        bool incremental = false;
        if (context.ApiVersion >= 7 && (request.SessionId != 0 || request.SessionEpoch == InitialEpoch))
        {
            if (request.SessionId != 0 && request.SessionEpoch is InitialEpoch or FinalEpoch)
            {
                _sessions.Remove(request.SessionId);
            }
            if (request.SessionEpoch == InitialEpoch)
            {
                session = _sessions.Create();
            }
            else if (request.SessionEpoch != FinalEpoch)
            {
                ErrorCode error = _sessions.TryGet(request.SessionId, request.SessionEpoch, out session);
                if (error != ErrorCode.None)
                {
                    return new ApiResult(new FetchResponse { ErrorCode = (short)error }, (short)error);
                }
                incremental = true;
            }
        }

        List<SessionPartition> targets = session?.Partitions ?? [];
        foreach (FetchRequest.FetchTopic topic in request.Topics)
        {
            string name = byId ? "" : topic.Topic;
            foreach (FetchRequest.FetchPartition partition in topic.Partitions)
            {
                if (session is not null)
                {
                    session.Update(name, topic.TopicId, partition);
                }
                else
                {
                    targets.Add(new SessionPartition(name, topic.TopicId, partition.Partition) { FetchOffset = partition.FetchOffset, MaxBytes = partition.PartitionMaxBytes });
                }
            }
        }
        if (session is not null)
        {
            foreach (FetchRequest.ForgottenTopic forgotten in request.ForgottenTopicsData)
            {
                foreach (int partition in forgotten.Partitions)
                {
                    session.Forget(byId ? "" : forgotten.Topic, forgotten.TopicId, partition);
                }
            }
            session.NextEpoch = incremental ? request.SessionEpoch + 1 : 1;
        }

        TimeProvider time = broker.Time;
        long deadline = time.GetTimestamp() + (long)(Math.Max(0, request.MaxWaitMs) * (time.TimestampFrequency / 1000.0));
        FetchBuffers? buffers = new();
        try
        {
            while (true)
            {
                List<Task>? signals = request.MaxWaitMs > 0 ? [] : null;
                bool hasError = ReadAll(targets, byId, ResponseBudget(request.MaxBytes), request.IsolationLevel == ReadCommitted, buffers, signals);
                TimeSpan remaining = time.GetElapsedTime(time.GetTimestamp(), deadline);
                if (hasError || buffers.TotalBytes >= Math.Max(1, request.MinBytes) || signals is null || signals.Count == 0
                    || remaining <= TimeSpan.Zero || cancellationToken.IsCancellationRequested)
                {
                    RecordSent(targets, buffers.Results, byId);
                    FetchResponse response = Respond(targets, buffers.Results, session, incremental);
                    var result = new ApiResult(response, 0, buffers);
                    buffers = null;
                    return result;
                }
                buffers.Reset();
                // The timer is cancelled as soon as data (or the connection's end) wakes the poll.
                using var wake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                signals.Add(Task.Delay(remaining, time, wake.Token));
                await Task.WhenAny(signals);
                await wake.CancelAsync();
            }
        }
        finally
        {
            buffers?.Dispose();
        }
    }

    /// <summary>The client's max_bytes, capped by the broker's fetch.max.bytes (Kafka: the smaller of the two; 0 or less asks for no limit).</summary>
    private int ResponseBudget(int requested) => requested <= 0 ? broker.Options.FetchMaxBytes : Math.Min(requested, broker.Options.FetchMaxBytes);

    /// <summary>Reads every target into <see cref="FetchBuffers"/>; true when any partition has an error.</summary>
    private bool ReadAll(List<SessionPartition> targets, bool byId, int maxBytes, bool readCommitted, FetchBuffers buffers, List<Task>? signals)
    {
        bool hasError = false;
        long budget = maxBytes <= 0 ? int.MaxValue : maxBytes;
        buffers.Results.Clear();
        foreach (SessionPartition target in targets)
        {
            TopicState? topic = null;
            bool found = byId ? broker.TryGetTopic(target.TopicId, out topic) : broker.TryGetTopic(target.Topic, out topic);
            PartitionLeader? partition = found ? topic!.Partition(target.Partition) : null;
            var data = new FetchResponse.PartitionData { PartitionIndex = target.Partition, Records = ReadOnlyMemory<byte>.Empty };
            buffers.Results.Add(data);
            if (partition is null)
            {
                data.ErrorCode = (short)(byId && !found ? ErrorCode.UnknownTopicId : ErrorCode.UnknownTopicOrPartition);
                data.HighWatermark = -1;
                hasError = true;
                continue;
            }
            signals?.Add(partition.HighWatermarkAdvanced);
            int partitionBudget = (int)Math.Min(Math.Max(0, target.MaxBytes), budget - buffers.TotalBytes);
            ErrorCode error = ReadPartition(partition, target.FetchOffset, partitionBudget, buffers.TotalBytes == 0, readCommitted, buffers, data, out long endOffset);
            if (readCommitted && data.Records is { Length: > 0 })
            {
                data.AbortedTransactions = AbortedTransactionsList.Collect(partition, target.FetchOffset, endOffset);
            }
            if (error != ErrorCode.None)
            {
                data.ErrorCode = (short)error;
                hasError = true;
            }
        }
        return hasError;
    }

    /// <summary>Counts the record bytes of the answer per topic (only the read that is sent, not the polls before it).</summary>
    private void RecordSent(List<SessionPartition> targets, List<FetchResponse.PartitionData> results, bool byId)
    {
        for (int i = 0; i < targets.Count; i++)
        {
            int bytes = results[i].Records?.Length ?? 0;
            SessionPartition target = targets[i];
            if (bytes > 0 && (byId ? broker.TryGetTopic(target.TopicId, out TopicState? topic) : broker.TryGetTopic(target.Topic, out topic)))
            {
                broker.Metrics.RecordSent(topic, bytes);
            }
        }
    }

    /// <summary>Groups the read partitions by topic; an incremental session response leaves out partitions with nothing new.</summary>
    private static FetchResponse Respond(List<SessionPartition> targets, List<FetchResponse.PartitionData> results, FetchSession? session, bool incremental)
    {
        var response = new FetchResponse { SessionId = session?.Id ?? 0 };
        FetchResponse.FetchableTopicResponse? current = null;
        for (int i = 0; i < targets.Count; i++)
        {
            SessionPartition target = targets[i];
            FetchResponse.PartitionData data = results[i];
            bool unchanged = data.ErrorCode == 0 && data.Records is not { Length: > 0 }
                && data.HighWatermark == target.SentHighWatermark && data.LogStartOffset == target.SentLogStartOffset;
            if (incremental && unchanged)
            {
                continue;
            }
            target.SentHighWatermark = data.HighWatermark;
            target.SentLogStartOffset = data.LogStartOffset;
            if (current is null || current.Topic != target.Topic || current.TopicId != target.TopicId)
            {
                current = new FetchResponse.FetchableTopicResponse { Topic = target.Topic, TopicId = target.TopicId };
                response.Responses.Add(current);
            }
            current.Partitions.Add(data);
        }
        return response;
    }

    /// <summary>
    /// Reads one partition up to the high watermark, or for read_committed up to the last stable
    /// offset, adding the aborted transactions that overlap the returned range (one index lookup
    /// per partition read, no per-record work).
    /// </summary>
    private static ErrorCode ReadPartition(PartitionLeader partition, long offset, int budget, bool firstWithData, bool readCommitted, FetchBuffers buffers, FetchResponse.PartitionData data, out long endOffset)
    {
        endOffset = offset;
        PartitionLog log = partition.Log;
        long highWatermark = partition.HighWatermark;
        long lastStable = Math.Min(partition.LastStableOffset, highWatermark);
        long bound = readCommitted ? lastStable : highWatermark;
        data.HighWatermark = highWatermark;
        data.LastStableOffset = lastStable;
        data.LogStartOffset = log.LogStartOffset;
        if (offset < log.LogStartOffset || offset > log.LogEndOffset)
        {
            return ErrorCode.OffsetOutOfRange;
        }
        if (offset >= bound || (budget <= 0 && !firstWithData))
        {
            return ErrorCode.None;
        }
        LogReadResult read = log.Read(offset, Math.Max(budget, 1), bound, minOneBatch: firstWithData);
        if (read.Error != StorageErrorCode.None || read.IsEmpty)
        {
            read.Dispose();
            return (ErrorCode)(short)read.Error;
        }
        endOffset = read.EndOffset;
        data.Records = buffers.Keep(read);
        return ErrorCode.None;
    }
}
