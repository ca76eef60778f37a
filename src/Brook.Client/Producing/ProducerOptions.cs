using Brook.Protocol.Records;

namespace Brook.Client.Producing;

/// <summary><c>acks</c>: how many replicas must have a batch before the broker answers.</summary>
public enum Acks : short
{
    /// <summary>0: the broker does not answer; offsets in delivery reports are -1.</summary>
    None = 0,
    /// <summary>1: the leader has it.</summary>
    Leader = 1,
    /// <summary>all (-1): every in-sync replica has it.</summary>
    All = -1,
}

/// <summary>Producer settings; Kafka's names in the comments, Brook's defaults documented in docs/client.md.</summary>
public sealed class ProducerOptions : KafkaClientOptions
{
    /// <summary><c>acks</c>, default all.</summary>
    public Acks Acks { get; set; } = Acks.All;

    /// <summary><c>linger.ms</c>, default 5 ms: how long a partition's batch waits for more records.</summary>
    public TimeSpan Linger { get; set; } = TimeSpan.FromMilliseconds(5);

    /// <summary>
    /// <c>batch.size</c>, default 64 KiB of uncompressed records per partition batch (Kafka: 16 KiB;
    /// Brook's broker appends a batch in one write, so larger batches are cheaper). A single larger
    /// record still goes out, alone in its batch.
    /// </summary>
    public int BatchSize { get; set; } = 64 * 1024;

    /// <summary><c>compression.type</c>, default none.</summary>
    public CompressionType Compression { get; set; } = CompressionType.None;

    /// <summary><c>enable.idempotence</c>, default true (only with acks=all).</summary>
    public bool EnableIdempotence { get; set; } = true;

    /// <summary><c>max.in.flight.requests.per.connection</c>, applied per partition: at most 5 with idempotence.</summary>
    public int MaxInFlightPerPartition { get; set; } = 5;

    /// <summary><c>delivery.timeout.ms</c>, default 120 s: how long a record may wait and be retried before it fails.</summary>
    public TimeSpan DeliveryTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// <c>buffer.memory</c>, default 32 MiB: records waiting to be acknowledged may hold this many
    /// bytes; beyond it, producing blocks the caller (as Kafka's producer does) until deliveries free space.
    /// </summary>
    public long BufferMemory { get; set; } = 32L * 1024 * 1024;

    /// <summary><c>max.block.ms</c>, default 60 s: how long producing may block on a full buffer before it throws.</summary>
    public TimeSpan MaxBlock { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The partitioner; null: <see cref="DefaultPartitioner"/> (murmur2 of the key, sticky for null keys).</summary>
    public IPartitioner? Partitioner { get; set; }

    public ProducerOptions()
    {
        AllowAutoCreateTopics = true;
    }
}
