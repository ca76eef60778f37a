using System.Threading.Channels;
using Brook.Client.Connections;
using Brook.Protocol.Compression;
using Brook.Protocol.Errors;
using Brook.Protocol.Messages;
using Brook.Protocol.Records;

namespace Brook.Client.Producing;

/// <summary>
/// Batches records per partition and sends them to partition leaders. Records are encoded
/// straight into the partition's open batch (nothing is kept of the caller's buffers); a batch
/// goes out when it reaches <see cref="ProducerOptions.BatchSize"/>, after <see cref="ProducerOptions.Linger"/>,
/// or on <see cref="FlushAsync"/>. With idempotence (the default) each batch carries the producer
/// id and a per-partition sequence fixed when it is sealed; failed batches are resent in sequence
/// order once the partition's other in-flight batches are back, so retries neither reorder nor
/// duplicate. <see cref="DisposeAsync"/> waits for every record's delivery.
/// </summary>
public sealed class KafkaProducer : IAsyncDisposable
{
    private readonly ProducerOptions _options;
    private readonly KafkaCluster _cluster;
    private readonly IPartitioner _partitioner;
    private readonly TimeProvider _time;
    private readonly bool _idempotent;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, TopicState> _topics = new(StringComparer.Ordinal);
    private readonly Stack<RecordBatchBuilder> _builders = new();
    private readonly Stack<ProducerBatch> _batches = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly Channel<OwnedRecord> _waiting = Channel.CreateUnbounded<OwnedRecord>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _initialized;
    private readonly Task _waitingLoop;
    private readonly Task _sender;
    private RecordBatchOptions _batchOptions;
    private ClusterMetadata? _lastMetadata;
    private bool _ready;
    private int _waitingCount;
    private long _outstanding;
    private TaskCompletionSource _idle = NewIdle(completed: true);
    private int _flushing;
    private bool _closing;
    private long _retriedBatches;
    private long _bufferedBytes;
    private readonly ManualResetEventSlim _bufferSpace = new(initialState: true);

    public KafkaProducer(ProducerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.BatchSize <= 0 || options.MaxInFlightPerPartition <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "batch size and max in-flight must be positive");
        }
        RecordCompression.EnsureAvailable(options.Compression);
        _options = options;
        _cluster = new KafkaCluster(options);
        _partitioner = options.Partitioner ?? DefaultPartitioner.Instance;
        _time = options.TimeProvider;
        _idempotent = options.EnableIdempotence && options.Acks == Acks.All;
        _batchOptions = new RecordBatchOptions { Compression = options.Compression };
        _initialized = InitializeAsync();
        _waitingLoop = Task.Run(AppendWaitingLoopAsync);
        _sender = Task.Run(SendLoopAsync);
    }

    public KafkaCluster Cluster => _cluster;

    /// <summary>The producer id from InitProducerId (-1 without idempotence or before it is known).</summary>
    public long ProducerId => _batchOptions.ProducerId;

    /// <summary>How many times a batch failed with a retriable error and was queued to be resent.</summary>
    public long RetriedBatches => Interlocked.Read(ref _retriedBatches);

    /// <summary>
    /// Appends a record and returns its delivery report once the broker acknowledges it; fails with
    /// <see cref="ProduceException"/>. Null key: the sticky partition; null value: a tombstone.
    /// </summary>
    public Task<DeliveryReport> ProduceAsync(string topic, ReadOnlyMemory<byte>? key, ReadOnlyMemory<byte>? value,
        ReadOnlySpan<RecordHeaderData> headers = default, int? partition = null, long? timestampMs = null)
    {
        var task = new TaskCompletionSource<DeliveryReport>(TaskCreationOptions.RunContinuationsAsynchronously);
        Enqueue(topic, key, value, headers, partition, timestampMs, task, null);
        return task.Task;
    }

    /// <summary>
    /// Appends a record without a task: <paramref name="onDelivery"/> (if any) is called once with its
    /// report or error, on a producer thread. Allocates nothing per record once metadata is known.
    /// </summary>
    public void Produce(string topic, ReadOnlyMemory<byte>? key, ReadOnlyMemory<byte>? value, DeliveryHandler? onDelivery = null,
        ReadOnlySpan<RecordHeaderData> headers = default, int? partition = null, long? timestampMs = null) =>
        Enqueue(topic, key, value, headers, partition, timestampMs, null, onDelivery);

    /// <summary>Sends every open batch now and waits until every record so far is delivered or failed.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        Task idle;
        lock (_lock)
        {
            if (_outstanding == 0)
            {
                return;
            }
            _flushing++;
            idle = _idle.Task;
        }
        Wake();
        try
        {
            await idle.WaitAsync(cancellationToken);
        }
        finally
        {
            lock (_lock)
            {
                _flushing--;
            }
        }
    }

    private void Enqueue(string topic, ReadOnlyMemory<byte>? key, ReadOnlyMemory<byte>? value, ReadOnlySpan<RecordHeaderData> headers,
        int? partition, long? timestampMs, TaskCompletionSource<DeliveryReport>? task, DeliveryHandler? handler)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        WaitForBufferSpace();
        long timestamp = timestampMs ?? _time.GetUtcNow().ToUnixTimeMilliseconds();
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_closing, this);
            if (_outstanding++ == 0)
            {
                _idle = NewIdle(completed: false);
            }
            if (_ready && _waitingCount == 0 && _topics.TryGetValue(topic, out TopicState? known)
                && (partition is null ? known.PartitionCount > 0 : (uint)partition.Value < (uint)known.PartitionCount))
            {
                AppendLocked(known, key, value, headers, partition, new RecordCompletion(task, handler, timestamp), timestamp);
                return;
            }
            // Keep order: once one record waits, later ones queue behind it.
            _waitingCount++;
        }
        _waiting.Writer.TryWrite(OwnedRecord.Copy(topic, key, value, headers, partition, timestamp, task, handler,
            _time.GetUtcNow() + _options.DeliveryTimeout));
    }

    private void AppendLocked(TopicState topic, ReadOnlyMemory<byte>? key, ReadOnlyMemory<byte>? value, ReadOnlySpan<RecordHeaderData> headers,
        int? partition, RecordCompletion completion, long timestamp)
    {
        int index = partition ?? ChoosePartition(topic, key);
        PartitionState state = topic.Partitions[index];
        int estimate = 24 + (key?.Length ?? 0) + (value?.Length ?? 0);
        foreach (ref readonly RecordHeaderData header in headers)
        {
            estimate += 10 + header.Key.Length + header.Value.Length;
        }
        if (state.Open is { } full && full.RecordCount > 0 && full.Builder!.RecordsSize + estimate > _options.BatchSize)
        {
            SealLocked(topic, state);
        }
        if (state.Open is null)
        {
            DateTimeOffset now = _time.GetUtcNow();
            RecordBatchBuilder builder = _builders.Count > 0 ? _builders.Pop() : new RecordBatchBuilder(initialCapacity: Math.Min(_options.BatchSize, 1 << 20));
            builder.Reset(_batchOptions);
            ProducerBatch batch = _batches.Count > 0 ? _batches.Pop() : new ProducerBatch();
            batch.Open(state, builder, now, now + _options.DeliveryTimeout);
            state.Open = batch;
            Wake();
        }
        ProducerBatch open = state.Open;
        open.BufferedBytes += estimate;
        _bufferedBytes += estimate;
        if (_bufferedBytes > _options.BufferMemory)
        {
            _bufferSpace.Reset();
        }
        ReadOnlySpan<byte> keySpan = key is { } k ? k.Span : default;
        ReadOnlySpan<byte> valueSpan = value is { } v ? v.Span : default;
        open.Builder!.Append(timestamp, keySpan, key is null, valueSpan, value is null, headers);
        open.Completions.Add(completion);
        if (open.Builder.RecordsSize >= _options.BatchSize)
        {
            SealLocked(topic, state);
            Wake();
        }
    }

    private int ChoosePartition(TopicState topic, ReadOnlyMemory<byte>? key)
    {
        if (key is { } k)
        {
            return _partitioner.Partition(topic.Name, k.Span, topic.PartitionCount);
        }
        if ((uint)topic.StickyPartition >= (uint)topic.PartitionCount)
        {
            topic.StickyPartition = Random.Shared.Next(topic.PartitionCount);
        }
        return topic.StickyPartition;
    }

    private void SealLocked(TopicState topic, PartitionState state)
    {
        ProducerBatch batch = state.Open!;
        state.Open = null;
        int sequence = -1;
        if (_idempotent)
        {
            sequence = state.NextSequence;
            state.NextSequence = (int)(((long)sequence + batch.RecordCount) % ((long)int.MaxValue + 1));
        }
        _builders.Push(batch.Seal(sequence));
        state.Ready.AddLast(batch);
        if (topic.StickyPartition == state.TopicPartition.Partition && topic.PartitionCount > 1)
        {
            // Keyless records move on to another partition once a batch of theirs is full (KIP-480).
            int next = Random.Shared.Next(topic.PartitionCount - 1);
            topic.StickyPartition = next >= topic.StickyPartition ? next + 1 : next;
        }
    }

    private async Task InitializeAsync()
    {
        if (!_idempotent)
        {
            lock (_lock)
            {
                _ready = true;
            }
            return;
        }
        DateTimeOffset deadline = _time.GetUtcNow() + _options.DeliveryTimeout;
        while (true)
        {
            try
            {
                KafkaConnection connection = await _cluster.GetAnyConnectionAsync();
                var response = await connection.SendAsync<InitProducerIdResponse>(new InitProducerIdRequest { TransactionalId = null, TransactionTimeoutMs = 60000 });
                var error = (ErrorCode)response.ErrorCode;
                if (error == ErrorCode.None)
                {
                    lock (_lock)
                    {
                        _batchOptions = new RecordBatchOptions
                        {
                            Compression = _options.Compression,
                            ProducerId = response.ProducerId,
                            ProducerEpoch = response.ProducerEpoch,
                            BaseSequence = 0,
                        };
                        _ready = true;
                    }
                    return;
                }
                if (!error.IsRetriable() || _time.GetUtcNow() >= deadline)
                {
                    throw new KafkaException(error, "InitProducerId failed");
                }
            }
            catch (KafkaException e) when ((e is KafkaConnectionException || e.IsRetriable) && _time.GetUtcNow() < deadline)
            {
                // The broker may be starting or restarting: try again after the backoff.
            }
            await Task.Delay(_options.RetryBackoff, _time);
        }
    }

    /// <summary>Appends, in arrival order, the records that had to wait for initialisation or metadata.</summary>
    private async Task AppendWaitingLoopAsync()
    {
        await foreach (OwnedRecord record in _waiting.Reader.ReadAllAsync())
        {
            Exception? failure = null;
            while (true)
            {
                try
                {
                    await _initialized;
                    TopicMetadata topic = await _cluster.GetTopicAsync(record.Topic);
                    if (record.Partition is int p && p >= topic.PartitionCount)
                    {
                        topic = (await _cluster.RefreshMetadataAsync([record.Topic])).Topics[record.Topic];
                        if (p >= topic.PartitionCount)
                        {
                            throw new KafkaException(ErrorCode.UnknownTopicOrPartition, $"{record.Topic} has no partition {p}");
                        }
                    }
                    lock (_lock)
                    {
                        TopicState state = TopicLocked(record.Topic, topic.PartitionCount);
                        // A null byte[] would convert to an empty (not null) ReadOnlyMemory: keep null keys and tombstones null.
                        AppendLocked(state, record.Key is null ? null : (ReadOnlyMemory<byte>?)record.Key, record.Value is null ? null : (ReadOnlyMemory<byte>?)record.Value, record.Headers, record.Partition,
                            new RecordCompletion(record.Task, record.Handler, record.Timestamp), record.Timestamp);
                        _waitingCount--;
                    }
                    break;
                }
                catch (KafkaException e) when (e.IsRetriable && _time.GetUtcNow() < record.Deadline)
                {
                    await Task.Delay(_options.RetryBackoff, _time);
                }
                catch (Exception e) when (e is KafkaException or ArgumentException or InvalidOperationException)
                {
                    failure = e;
                    break;
                }
            }
            if (failure is not null)
            {
                lock (_lock)
                {
                    _waitingCount--;
                }
                var report = new DeliveryReport(record.Topic, record.Partition ?? -1, -1, record.Timestamp);
                Notify(new RecordCompletion(record.Task, record.Handler, record.Timestamp), report,
                    new ProduceException($"cannot produce to {record.Topic}: {failure.Message}", failure));
                FinishRecords(1);
            }
        }
    }

    private TopicState TopicLocked(string name, int partitionCount)
    {
        if (!_topics.TryGetValue(name, out TopicState? topic))
        {
            topic = new TopicState(name);
            _topics[name] = topic;
        }
        topic.GrowTo(partitionCount);
        return topic;
    }

    private async Task SendLoopAsync()
    {
        var sendable = new List<ProducerBatch>();
        while (true)
        {
            sendable.Clear();
            TimeSpan wait = Timeout.InfiniteTimeSpan;
            lock (_lock)
            {
                DateTimeOffset now = _time.GetUtcNow();
                bool urgent = _flushing > 0 || _closing;
                foreach (TopicState topic in _topics.Values)
                {
                    foreach (PartitionState state in topic.Partitions)
                    {
                        if (state.Open is { } open)
                        {
                            TimeSpan age = now - open.Created;
                            if (urgent || age >= _options.Linger)
                            {
                                SealLocked(topic, state);
                            }
                            else
                            {
                                wait = Shorter(wait, _options.Linger - age);
                            }
                        }
                        if (state.Ready.Count == 0 || state.IsRetrying || state.InFlight >= _options.MaxInFlightPerPartition)
                        {
                            continue;
                        }
                        if (now < state.BackoffUntil)
                        {
                            wait = Shorter(wait, state.BackoffUntil - now);
                            continue;
                        }
                        ProducerBatch next = state.Ready.First!.Value;
                        state.Ready.RemoveFirst();
                        state.InFlight++;
                        sendable.Add(next);
                    }
                }
                if (_closing && _outstanding == 0)
                {
                    return;
                }
            }
            if (sendable.Count > 0)
            {
                await DispatchAsync(sendable);
                continue;
            }
            await _wake.WaitAsync(wait);
        }
    }

    private async Task DispatchAsync(List<ProducerBatch> batches)
    {
        ClusterMetadata metadata;
        try
        {
            metadata = await _cluster.GetMetadataAsync();
        }
        catch (KafkaException e)
        {
            foreach (ProducerBatch batch in batches)
            {
                Fail(batch, e, retriable: true);
            }
            return;
        }
        if (!ReferenceEquals(metadata, _lastMetadata))
        {
            _lastMetadata = metadata;
            GrowTopics(metadata);
        }
        var byLeader = new Dictionary<int, List<ProducerBatch>>();
        foreach (ProducerBatch batch in batches)
        {
            TopicPartition tp = batch.Partition.TopicPartition;
            int leader = metadata.Topics.TryGetValue(tp.Topic, out TopicMetadata? topic) ? topic.Find(tp.Partition)?.Leader ?? -1 : -1;
            if (leader < 0)
            {
                _cluster.InvalidateMetadata();
                Fail(batch, new KafkaException(ErrorCode.LeaderNotAvailable, $"{tp} has no known leader"), retriable: true);
                continue;
            }
            if (!byLeader.TryGetValue(leader, out List<ProducerBatch>? list))
            {
                list = [];
                byLeader[leader] = list;
            }
            list.Add(batch);
        }
        foreach ((int leader, List<ProducerBatch> list) in byLeader)
        {
            // Awaited up to the write only: requests must reach each connection in the order their
            // sequence numbers were assigned; their responses are handled as they come.
            await SendToLeaderAsync(leader, list);
        }
    }

    private void GrowTopics(ClusterMetadata metadata)
    {
        lock (_lock)
        {
            foreach (TopicState topic in _topics.Values)
            {
                if (metadata.Topics.TryGetValue(topic.Name, out TopicMetadata? known) && known.PartitionCount > topic.PartitionCount)
                {
                    topic.GrowTo(known.PartitionCount);
                }
            }
        }
    }

    private async Task SendToLeaderAsync(int leader, List<ProducerBatch> batches)
    {
        Task<ProduceResponse> response;
        try
        {
            KafkaConnection connection = await _cluster.GetConnectionAsync(leader);
            var request = new ProduceRequest { Acks = (short)_options.Acks, TimeoutMs = (int)_options.RequestTimeout.TotalMilliseconds };
            foreach (ProducerBatch batch in batches)
            {
                TopicPartition tp = batch.Partition.TopicPartition;
                ProduceRequest.TopicProduceData? topic = request.TopicData.Find(t => t.Name == tp.Topic);
                if (topic is null)
                {
                    topic = new ProduceRequest.TopicProduceData { Name = tp.Topic };
                    request.TopicData.Add(topic);
                }
                topic.PartitionData.Add(new ProduceRequest.PartitionProduceData { Index = tp.Partition, Records = batch.Bytes });
            }
            if (_options.Acks == Acks.None)
            {
                await connection.SendWithoutResponseAsync(request);
                foreach (ProducerBatch batch in batches)
                {
                    Complete(batch, -1, -1);
                }
                return;
            }
            response = await connection.StartAsync<ProduceResponse>(request);
        }
        catch (Exception e) when (e is KafkaException or InvalidOperationException)
        {
            FailAll(batches, e);
            return;
        }
        _ = HandleResponseAsync(response, batches);
    }

    private async Task HandleResponseAsync(Task<ProduceResponse> pending, List<ProducerBatch> batches)
    {
        try
        {
            ProduceResponse response = await pending;
            foreach (ProducerBatch batch in batches)
            {
                TopicPartition tp = batch.Partition.TopicPartition;
                ProduceResponse.PartitionProduceResponse? answer = response.Responses.Find(t => t.Name == tp.Topic)?
                    .PartitionResponses.Find(p => p.Index == tp.Partition);
                if (answer is null)
                {
                    Fail(batch, new KafkaException(ErrorCode.UnknownServerError, $"no answer for {tp}"), retriable: true);
                    continue;
                }
                var error = (ErrorCode)answer.ErrorCode;
                if (error is ErrorCode.None or ErrorCode.DuplicateSequenceNumber)
                {
                    Complete(batch, answer.BaseOffset, answer.LogAppendTimeMs);
                    continue;
                }
                if (error is ErrorCode.NotLeaderOrFollower or ErrorCode.UnknownTopicOrPartition or ErrorCode.LeaderNotAvailable)
                {
                    _cluster.InvalidateMetadata();
                }
                // OUT_OF_ORDER_SEQUENCE follows an earlier batch's failure: resent in order, it succeeds.
                Fail(batch, new KafkaException(error, answer.ErrorMessage ?? $"{tp}: {error.Message()}"),
                    retriable: error.IsRetriable() || error == ErrorCode.OutOfOrderSequenceNumber);
            }
        }
        catch (Exception e) when (e is KafkaException or InvalidOperationException)
        {
            FailAll(batches, e);
        }
        finally
        {
            Wake();
        }
    }

    private void FailAll(List<ProducerBatch> batches, Exception error)
    {
        bool retriable = error is KafkaException { IsRetriable: true };
        if (retriable)
        {
            _cluster.InvalidateMetadata();
        }
        foreach (ProducerBatch batch in batches)
        {
            Fail(batch, error, retriable);
        }
        Wake();
    }

    private void Complete(ProducerBatch batch, long baseOffset, long logAppendTime)
    {
        PartitionState state = batch.Partition;
        lock (_lock)
        {
            ReleaseBufferLocked(batch);
            state.InFlight--;
            state.RequeueRetriesWhenQuiet(_time.GetUtcNow() + _options.RetryBackoff);
        }
        TopicPartition tp = state.TopicPartition;
        List<RecordCompletion> completions = batch.Completions;
        for (int i = 0; i < completions.Count; i++)
        {
            RecordCompletion completion = completions[i];
            var report = new DeliveryReport(tp.Topic, tp.Partition, baseOffset < 0 ? -1 : baseOffset + i,
                logAppendTime >= 0 ? logAppendTime : completion.Timestamp);
            Notify(completion, report, null);
        }
        int count = completions.Count;
        Recycle(batch);
        FinishRecords(count);
    }

    private void Fail(ProducerBatch batch, Exception error, bool retriable)
    {
        PartitionState state = batch.Partition;
        lock (_lock)
        {
            state.InFlight--;
            DateTimeOffset now = _time.GetUtcNow();
            if (retriable && now < batch.Deadline)
            {
                batch.LastError = error;
                state.ToRetry.Add(batch);
                _retriedBatches++;
                state.RequeueRetriesWhenQuiet(now + _options.RetryBackoff);
                return;
            }
            state.RequeueRetriesWhenQuiet(now + _options.RetryBackoff);
            ReleaseBufferLocked(batch);
        }
        TopicPartition tp = state.TopicPartition;
        var failure = new ProduceException($"producing to {tp} failed: {error.Message}", error);
        foreach (RecordCompletion completion in batch.Completions)
        {
            Notify(completion, new DeliveryReport(tp.Topic, tp.Partition, -1, completion.Timestamp), failure);
        }
        int count = batch.Completions.Count;
        Recycle(batch);
        FinishRecords(count);
    }

    private static void Notify(RecordCompletion completion, in DeliveryReport report, Exception? error)
    {
        if (error is null)
        {
            completion.Task?.TrySetResult(report);
        }
        else
        {
            completion.Task?.TrySetException(error);
        }
        completion.Handler?.Invoke(report, error);
    }

    private void FinishRecords(int count)
    {
        TaskCompletionSource? idle = null;
        lock (_lock)
        {
            _outstanding -= count;
            if (_outstanding == 0)
            {
                idle = _idle;
            }
        }
        idle?.TrySetResult();
        if (idle is not null)
        {
            Wake();
        }
    }

    private void Recycle(ProducerBatch batch)
    {
        batch.Release();
        lock (_lock)
        {
            _batches.Push(batch);
        }
    }

    private void ReleaseBufferLocked(ProducerBatch batch)
    {
        _bufferedBytes -= batch.BufferedBytes;
        batch.BufferedBytes = 0;
        if (_bufferedBytes <= _options.BufferMemory)
        {
            _bufferSpace.Set();
        }
    }

    /// <summary>Blocks while unacknowledged records hold more than <see cref="ProducerOptions.BufferMemory"/>.</summary>
    private void WaitForBufferSpace()
    {
        if (_bufferSpace.IsSet)
        {
            return;
        }
        Wake(); // make sure what fills the buffer is on its way
        if (!_bufferSpace.Wait(_options.MaxBlock))
        {
            throw new ProduceException(
                $"the producer buffer ({_options.BufferMemory} bytes) stayed full for {_options.MaxBlock.TotalSeconds:0.#}s; is the broker reachable?");
        }
    }

    private void Wake()
    {
        if (_wake.CurrentCount == 0)
        {
            _wake.Release();
        }
    }

    private static TimeSpan Shorter(TimeSpan current, TimeSpan candidate)
    {
        if (candidate < TimeSpan.Zero)
        {
            candidate = TimeSpan.Zero;
        }
        return current == Timeout.InfiniteTimeSpan || candidate < current ? candidate : current;
    }

    private static TaskCompletionSource NewIdle(bool completed)
    {
        var idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (completed)
        {
            idle.SetResult();
        }
        return idle;
    }

    /// <summary>Sends what is pending, waits for every delivery (bounded by the delivery timeout), and closes the connections.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_lock)
        {
            if (_closing)
            {
                return;
            }
            _closing = true;
        }
        _waiting.Writer.TryComplete();
        await _waitingLoop;
        Wake();
        await _sender;
        await _cluster.DisposeAsync();
        foreach (RecordBatchBuilder builder in _builders)
        {
            builder.Dispose();
        }
        foreach (ProducerBatch batch in _batches)
        {
            batch.Dispose();
        }
        _wake.Dispose();
        _bufferSpace.Dispose();
    }
}
