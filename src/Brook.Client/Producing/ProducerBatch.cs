using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Brook.Protocol.Compression;
using Brook.Protocol.Records;

namespace Brook.Client.Producing;

/// <summary>Who to tell about one record: a task, a callback, or nobody; and the record's timestamp.</summary>
internal readonly struct RecordCompletion(TaskCompletionSource<DeliveryReport>? task, DeliveryHandler? handler, long timestamp)
{
    public TaskCompletionSource<DeliveryReport>? Task { get; } = task;
    public DeliveryHandler? Handler { get; } = handler;
    public long Timestamp { get; } = timestamp;
}

/// <summary>
/// One partition's batch: open while records are appended into its builder, then sealed into
/// wire bytes with its producer id and base sequence, which never change again, so a retry
/// resends exactly the same batch and the broker can drop a duplicate.
/// </summary>
internal sealed class ProducerBatch
{
    private readonly PooledBufferWriter _bytes = new(16 * 1024);

    /// <summary>Pooled: <see cref="Open"/> starts each use, <see cref="Release"/> ends it.</summary>
    public PartitionState Partition { get; private set; } = null!;

    /// <summary>The open batch's builder; null once sealed (returned to the pool).</summary>
    public RecordBatchBuilder? Builder { get; private set; }

    public List<RecordCompletion> Completions { get; } = [];

    public DateTimeOffset Created { get; private set; }

    public DateTimeOffset Deadline { get; private set; }

    public int BaseSequence { get; private set; } = -1;

    public int RecordCount => Completions.Count;

    /// <summary>What the batch's records count against <see cref="ProducerOptions.BufferMemory"/>.</summary>
    public long BufferedBytes { get; set; }

    public ReadOnlyMemory<byte> Bytes => _bytes.WrittenMemory;

    public Exception? LastError { get; set; }

    public void Open(PartitionState partition, RecordBatchBuilder builder, DateTimeOffset created, DateTimeOffset deadline)
    {
        Partition = partition;
        Builder = builder;
        Created = created;
        Deadline = deadline;
        BaseSequence = -1;
        BufferedBytes = 0;
        LastError = null;
        Completions.Clear();
        _bytes.Clear();
    }

    /// <summary>
    /// Writes the wire batch (the builder was reset with the producer id, epoch and codec when the
    /// batch opened) and stamps its base sequence, which is only known now; returns the builder for reuse.
    /// </summary>
    public RecordBatchBuilder Seal(int baseSequence)
    {
        RecordBatchBuilder builder = Builder!;
        BaseSequence = baseSequence;
        builder.WriteTo(_bytes);
        if (baseSequence >= 0)
        {
            Span<byte> batch = MemoryMarshal.AsMemory(_bytes.WrittenMemory).Span;
            BinaryPrimitives.WriteInt32BigEndian(batch[RecordBatchHeader.BaseSequenceOffset..], baseSequence);
            RecordBatchHeader.WriteCrc(batch);
        }
        Builder = null;
        return builder;
    }

    /// <summary>Forgets the records (keeping the buffers) so the batch can go back to the pool.</summary>
    public void Release()
    {
        Completions.Clear();
        _bytes.Clear();
        Partition = null!;
    }

    public void Dispose() => _bytes.Dispose();
}
