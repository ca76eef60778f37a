using System.Buffers;
using System.Text;
using System.Text.Json;
using Brook.Broker.Partitions;
using Brook.Protocol.Compression;
using Brook.Protocol.Records;
using Brook.Storage;

namespace Brook.Broker.Cluster;

/// <summary>
/// The cluster metadata as a log: <c>&lt;data&gt;/__cluster_metadata-0/</c>, one record per change,
/// appended and fsync'd before the change is applied, replayed in order at start-up. It is written
/// like any partition (leader epoch 0 of a group of one), so a Raft quorum can later replicate it.
/// </summary>
public sealed class MetadataLog
{
    public static readonly TopicPartition Partition = new("__cluster_metadata", 0);

    // Metadata is never deleted by retention; it is small and replay needs all of it.
    private static readonly LogConfig Config = LogConfig.Default with { CleanupDelete = false, RetentionMs = -1 };
    private readonly PartitionLog _log;
    private readonly SemaphoreSlim _appendLock = new(1, 1);

    public MetadataLog(LogManager logs)
    {
        ArgumentNullException.ThrowIfNull(logs);
        _log = logs.GetOrCreateLog(Partition, Config);
    }

    public long EndOffset => _log.LogEndOffset;

    /// <summary>Every record from the start, in order.</summary>
    public IReadOnlyList<MetadataRecord> ReadAll()
    {
        var records = new List<MetadataRecord>();
        using var scratch = new PooledBufferWriter();
        LogScan.ForEachBatch(_log, _log.LogStartOffset, batch =>
        {
            RecordEnumerator enumerator = batch.GetRecords(scratch, int.MaxValue);
            while (enumerator.MoveNext())
            {
                if (!enumerator.Current.ValueIsNull && JsonSerializer.Deserialize<MetadataRecord>(enumerator.Current.Value) is { } record)
                {
                    records.Add(record);
                }
            }
        });
        return records;
    }

    /// <summary>Appends records as one batch and waits until they are durable.</summary>
    public async Task<bool> AppendAsync(IReadOnlyList<MetadataRecord> records, CancellationToken cancellationToken = default)
    {
        await _appendLock.WaitAsync(cancellationToken);
        try
        {
            return await AppendLockedAsync(records, cancellationToken) >= 0;
        }
        finally
        {
            _appendLock.Release();
        }
    }

    /// <summary>
    /// Replaces the log's contents with <paramref name="snapshot"/>, records that rebuild the same
    /// state: they are appended, durable, as the first batch of a new segment, and only then does
    /// the log start move up to them, which deletes the segments before. A crash in between leaves
    /// the old records followed by the snapshot, and replaying both gives the same state
    /// (<see cref="MetadataReplay"/>: a topic's records before its latest creation are skipped).
    /// </summary>
    public async Task<bool> ReplaceWithAsync(IReadOnlyList<MetadataRecord> snapshot, CancellationToken cancellationToken = default)
    {
        await _appendLock.WaitAsync(cancellationToken);
        try
        {
            _log.Roll();
            long start = await AppendLockedAsync(snapshot, cancellationToken);
            return start >= 0 && _log.DeleteRecords(start).Error == StorageErrorCode.None;
        }
        finally
        {
            _appendLock.Release();
        }
    }

    /// <summary>Caller holds the append lock. The batch's first offset once it is durable, or -1.</summary>
    private async Task<long> AppendLockedAsync(IReadOnlyList<MetadataRecord> records, CancellationToken cancellationToken)
    {
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        using var builder = new RecordBatchBuilder(RecordBatchOptions.Default);
        foreach (MetadataRecord record in records)
        {
            builder.Append(now, Encoding.UTF8.GetBytes(record.Type), JsonSerializer.SerializeToUtf8Bytes(record));
        }
        var output = new ArrayBufferWriter<byte>();
        builder.WriteTo(output);
        AppendResult result = _log.Append(output.WrittenMemory.ToArray(), leaderEpoch: 0);
        if (!result.Succeeded)
        {
            return -1;
        }
        StorageErrorCode flushed = await _log.WaitForFlushAsync(result.EndOffset, cancellationToken);
        _log.UpdateHighWatermark(result.EndOffset);
        return flushed == StorageErrorCode.None ? result.FirstOffset : -1;
    }
}
