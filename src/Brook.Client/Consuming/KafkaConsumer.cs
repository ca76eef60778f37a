using System.Runtime.CompilerServices;
using Brook.Client.Admin;
using Brook.Client.Connections;
using Brook.Protocol.Compression;
using Brook.Protocol.Errors;
using Brook.Protocol.Messages;
using Brook.Protocol.Records;

namespace Brook.Client.Consuming;

/// <summary>
/// Reads assigned partitions with long-polling Fetch requests to their leaders. Positions start
/// by the reset policy or a seek; compressed batches are decompressed, control batches and an
/// incomplete trailing batch are skipped, and with read_committed aborted transactions too.
/// Not thread-safe: one task polls (as Kafka's consumer).
/// </summary>
public sealed class KafkaConsumer : IAsyncDisposable
{
    private readonly ConsumerOptions _options;
    private readonly KafkaCluster _cluster;
    private readonly KafkaAdminClient _offsets;
    private readonly IAssignmentSource? _assignmentSource;
    private readonly Dictionary<TopicPartition, PartitionPosition> _positions = [];
    private readonly PooledBufferWriter _scratch = new(64 * 1024);

    public KafkaConsumer(ConsumerOptions options, IAssignmentSource? assignmentSource = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _cluster = new KafkaCluster(options);
        _offsets = new KafkaAdminClient(_cluster);
        _assignmentSource = assignmentSource;
    }

    public KafkaCluster Cluster => _cluster;

    public IReadOnlyCollection<TopicPartition> Assignment => _positions.Keys;

    /// <summary>Replaces the assignment. Partitions kept keep their positions; new ones start by the reset policy.</summary>
    public void Assign(IEnumerable<TopicPartition> partitions)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        var wanted = partitions.ToHashSet();
        foreach (TopicPartition gone in _positions.Keys.Where(p => !wanted.Contains(p)).ToArray())
        {
            _positions.Remove(gone);
        }
        foreach (TopicPartition partition in wanted)
        {
            if (!_positions.ContainsKey(partition))
            {
                var position = PartitionPosition.Reset(DefaultReset());
                if (_assignmentSource is not null && _assignmentSource.TryGetStartingOffset(partition, out long committed) && committed >= 0)
                {
                    position.SeekTo(committed);
                }
                _positions[partition] = position;
            }
        }
    }

    /// <summary>The next offset to be consumed, or null while it is still to be looked up.</summary>
    public long? Position(TopicPartition partition) =>
        Get(partition).Offset is var offset && offset >= 0 ? offset : null;

    public void Seek(TopicPartition partition, long offset)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        Get(partition).SeekTo(offset);
    }

    public void SeekToBeginning(TopicPartition partition) => Get(partition).ResetTo(OffsetSpec.Earliest);

    public void SeekToEnd(TopicPartition partition) => Get(partition).ResetTo(OffsetSpec.Latest);

    /// <summary>Moves to the first record at or after <paramref name="timestampMs"/> (the end when there is none), looked up on the next poll.</summary>
    public void SeekToTimestamp(TopicPartition partition, long timestampMs) => Get(partition).ResetTo(OffsetSpec.ForTimestamp(timestampMs));

    /// <summary>Every partition's next offset to read, for those whose position is known.</summary>
    public IReadOnlyList<KeyValuePair<TopicPartition, long>> GetPositions()
    {
        var positions = new List<KeyValuePair<TopicPartition, long>>(_positions.Count);
        foreach ((TopicPartition partition, PartitionPosition position) in _positions)
        {
            if (position.Offset >= 0)
            {
                positions.Add(new(partition, position.Offset));
            }
        }
        return positions;
    }

    /// <summary>Commits the current positions through the assignment source (the group); nothing without one.</summary>
    public ValueTask CommitAsync(CancellationToken cancellationToken = default) =>
        _assignmentSource is null ? ValueTask.CompletedTask : _assignmentSource.CommitAsync(GetPositions(), cancellationToken);

    /// <summary>Consumes records as they arrive, until cancelled.</summary>
    public async IAsyncEnumerable<ConsumeResult> ConsumeAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            IReadOnlyList<ConsumeResult> batch = await PollAsync(cancellationToken);
            foreach (ConsumeResult record in batch)
            {
                yield return record;
            }
        }
    }

    /// <summary>
    /// One fetch round: looks up pending positions, fetches from every leader at once (each waits up
    /// to <see cref="ConsumerOptions.FetchMaxWait"/> for data) and returns what came back, in offset
    /// order per partition. Empty when nothing arrived in time. Copies every record; the
    /// <see cref="PollAsync{THandler}"/> overload does not.
    /// </summary>
    public async Task<IReadOnlyList<ConsumeResult>> PollAsync(CancellationToken cancellationToken = default)
    {
        var collector = new ResultCollector();
        await PollAsync(collector, cancellationToken);
        return collector.Results;
    }

    /// <summary>One fetch round, handing each record to <paramref name="handler"/> as a view; returns how many records it saw.</summary>
    public async Task<int> PollAsync<THandler>(THandler handler, CancellationToken cancellationToken = default)
        where THandler : IRecordHandler
    {
        if (_assignmentSource is not null)
        {
            Assign(await _assignmentSource.GetAssignmentAsync(cancellationToken));
        }
        if (_positions.Count == 0)
        {
            await Task.Delay(_options.FetchMaxWait, _options.TimeProvider, cancellationToken);
            return 0;
        }
        try
        {
            await ResolvePositionsAsync(cancellationToken);
            var byLeader = new Dictionary<int, List<TopicPartition>>();
            foreach (TopicPartition partition in _positions.Keys)
            {
                int leader = await _cluster.GetLeaderAsync(partition, cancellationToken);
                if (!byLeader.TryGetValue(leader, out List<TopicPartition>? list))
                {
                    list = [];
                    byLeader[leader] = list;
                }
                list.Add(partition);
            }
            var fetches = new Task<FetchResponse>[byLeader.Count];
            int next = 0;
            foreach ((int leader, List<TopicPartition> partitions) in byLeader)
            {
                fetches[next++] = FetchAsync(leader, partitions, cancellationToken);
            }
            int count = 0;
            foreach (FetchResponse response in await Task.WhenAll(fetches))
            {
                count += Collect(response, handler);
            }
            return count;
        }
        catch (KafkaException e) when (e.IsRetriable)
        {
            _cluster.InvalidateMetadata();
            await Task.Delay(_options.RetryBackoff, _options.TimeProvider, cancellationToken);
            return 0;
        }
    }

    private async Task<FetchResponse> FetchAsync(int leader, List<TopicPartition> partitions, CancellationToken cancellationToken)
    {
        var request = new FetchRequest
        {
            ReplicaId = -1,
            MaxWaitMs = (int)_options.FetchMaxWait.TotalMilliseconds,
            MinBytes = _options.FetchMinBytes,
            MaxBytes = _options.FetchMaxBytes,
            IsolationLevel = (sbyte)_options.IsolationLevel,
            SessionId = 0,
            SessionEpoch = -1,
        };
        foreach (IGrouping<string, TopicPartition> topic in partitions.GroupBy(p => p.Topic))
        {
            var fetchTopic = new FetchRequest.FetchTopic { Topic = topic.Key };
            foreach (TopicPartition partition in topic)
            {
                fetchTopic.Partitions.Add(new FetchRequest.FetchPartition
                {
                    Partition = partition.Partition,
                    FetchOffset = _positions[partition].Offset,
                    PartitionMaxBytes = _options.MaxPartitionFetchBytes,
                });
            }
            request.Topics.Add(fetchTopic);
        }
        KafkaConnection connection = await _cluster.GetConnectionAsync(leader, cancellationToken);
        FetchResponse response = await connection.SendAsync<FetchResponse>(request, cancellationToken);
        if (response.ErrorCode != 0)
        {
            throw new KafkaException((ErrorCode)response.ErrorCode, "Fetch failed");
        }
        return response;
    }

    private int Collect<THandler>(FetchResponse response, THandler handler)
        where THandler : IRecordHandler
    {
        int count = 0;
        foreach (FetchResponse.FetchableTopicResponse topic in response.Responses)
        {
            foreach (FetchResponse.PartitionData data in topic.Partitions)
            {
                var partition = new TopicPartition(topic.Topic, data.PartitionIndex);
                if (!_positions.TryGetValue(partition, out PartitionPosition? position) || position.Offset < 0)
                {
                    continue; // unassigned or re-seeked while the fetch was out
                }
                var error = (ErrorCode)data.ErrorCode;
                switch (error)
                {
                    case ErrorCode.None:
                        count += ReadRecords(partition, position, data, handler);
                        break;
                    case ErrorCode.OffsetOutOfRange:
                        if (_options.AutoOffsetReset == AutoOffsetReset.Error)
                        {
                            throw new OffsetOutOfRangeException($"offset {position.Offset} is out of range for {partition}");
                        }
                        position.ResetTo(DefaultReset());
                        break;
                    default:
                        if (!error.IsRetriable())
                        {
                            throw new KafkaException(error, $"fetching {partition}: {error.Message()}");
                        }
                        _cluster.InvalidateMetadata();
                        break;
                }
            }
        }
        return count;
    }

    private int ReadRecords<THandler>(TopicPartition partition, PartitionPosition position, FetchResponse.PartitionData data, THandler handler)
        where THandler : IRecordHandler
    {
        if (data.Records is not { } records)
        {
            return 0;
        }
        int count = 0;
        List<FetchResponse.AbortedTransaction>? aborted = _options.IsolationLevel == IsolationLevel.ReadCommitted ? data.AbortedTransactions : null;
        foreach (ReadOnlySpan<byte> bytes in new RecordBatchSequence(records.Span))
        {
            if (RecordBatch.TryRead(bytes, out RecordBatch batch) != RecordBatchError.None
                || batch.Header.Crc != RecordBatchHeader.ComputeCrc(bytes))
            {
                throw new KafkaException(ErrorCode.CorruptMessage, $"{partition} holds a corrupt batch at offset {position.Offset}");
            }
            RecordBatchHeader header = batch.Header;
            if (header.LastOffset < position.Offset)
            {
                continue;
            }
            if (header.IsControl || (aborted is not null && header.IsTransactional && IsAborted(aborted, header)))
            {
                position.Advance(header.LastOffset + 1);
                continue;
            }
            RecordEnumerator enumerator = batch.GetRecords(_scratch, _options.MaxDecompressedBatchBytes);
            foreach (Record record in enumerator)
            {
                long offset = record.Offset(header.BaseOffset);
                if (offset < position.Offset)
                {
                    continue;
                }
                handler.OnRecord(new ConsumedRecord(partition.Topic, partition.Partition, offset, record.Timestamp(header), header.IsLogAppendTime,
                    header.PartitionLeaderEpoch, record));
                count++;
            }
            if (enumerator.Error != RecordBatchError.None)
            {
                throw new KafkaException(ErrorCode.CorruptMessage, $"{partition} batch at {header.BaseOffset}: {enumerator.Error}");
            }
            position.Advance(header.LastOffset + 1);
        }
        return count;
    }

    /// <summary>A transactional batch is aborted when its producer has an aborted transaction starting at or before it.</summary>
    private static bool IsAborted(List<FetchResponse.AbortedTransaction> aborted, RecordBatchHeader header)
    {
        foreach (FetchResponse.AbortedTransaction transaction in aborted)
        {
            if (transaction.ProducerId == header.ProducerId && transaction.FirstOffset <= header.BaseOffset)
            {
                return true;
            }
        }
        return false;
    }

    private async Task ResolvePositionsAsync(CancellationToken cancellationToken)
    {
        var pending = _positions.Where(p => p.Value.PendingReset is not null)
            .Select(p => new KeyValuePair<TopicPartition, OffsetSpec>(p.Key, p.Value.PendingReset!.Value))
            .ToArray();
        if (pending.Length == 0)
        {
            return;
        }
        IReadOnlyDictionary<TopicPartition, ListedOffset> found = await _offsets.ListOffsetsAsync(pending, cancellationToken);
        var needEnd = new List<KeyValuePair<TopicPartition, OffsetSpec>>();
        foreach ((TopicPartition partition, ListedOffset listed) in found)
        {
            if (listed.Offset >= 0)
            {
                _positions[partition].SeekTo(listed.Offset);
            }
            else
            {
                needEnd.Add(new(partition, OffsetSpec.Latest)); // no record at or after the timestamp
            }
        }
        if (needEnd.Count > 0)
        {
            foreach ((TopicPartition partition, ListedOffset listed) in await _offsets.ListOffsetsAsync(needEnd, cancellationToken))
            {
                _positions[partition].SeekTo(listed.Offset);
            }
        }
    }

    private OffsetSpec DefaultReset() =>
        _options.AutoOffsetReset == AutoOffsetReset.Earliest ? OffsetSpec.Earliest : OffsetSpec.Latest;

    private PartitionPosition Get(TopicPartition partition) =>
        _positions.TryGetValue(partition, out PartitionPosition? position)
            ? position
            : throw new InvalidOperationException($"{partition} is not assigned to this consumer");

    public async ValueTask DisposeAsync()
    {
        await _cluster.DisposeAsync();
        _scratch.Dispose();
    }
}
