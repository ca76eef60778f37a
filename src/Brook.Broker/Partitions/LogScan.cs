using Brook.Protocol.Compression;
using Brook.Protocol.Records;
using Brook.Storage;

namespace Brook.Broker.Partitions;

/// <summary>Called for each batch of a scan; the batch is valid only during the call.</summary>
public delegate void BatchVisitor(RecordBatch batch);

/// <summary>Reads a log's batches from an offset to its end, for start-up work (metadata replay, producer state).</summary>
public static class LogScan
{
    private const int ChunkBytes = 1024 * 1024;

    public static void ForEachBatch(PartitionLog log, long offset, BatchVisitor visit)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(visit);
        using var buffer = new PooledBufferWriter(64 * 1024);
        while (offset < log.LogEndOffset)
        {
            buffer.Clear();
            using (LogReadResult read = log.Read(offset, ChunkBytes, log.LogEndOffset))
            {
                if (read.Error != StorageErrorCode.None || read.IsEmpty)
                {
                    return;
                }
                read.CopyTo(buffer);
            }
            ReadOnlySpan<byte> bytes = buffer.WrittenSpan;
            long next = offset;
            while (RecordBatch.TryRead(bytes, out RecordBatch batch) == RecordBatchError.None)
            {
                visit(batch);
                next = batch.Header.LastOffset + 1;
                bytes = bytes[batch.Bytes.Length..];
            }
            if (next <= offset)
            {
                return;
            }
            offset = next;
        }
    }
}
