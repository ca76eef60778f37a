namespace Brook.Client.Consuming;

/// <summary><c>auto.offset.reset</c>: where to start when there is no valid position.</summary>
public enum AutoOffsetReset
{
    Earliest,
    Latest,
    /// <summary>Throw <see cref="OffsetOutOfRangeException"/> instead of moving.</summary>
    Error,
}

/// <summary><c>isolation.level</c>.</summary>
public enum IsolationLevel : sbyte
{
    ReadUncommitted = 0,
    /// <summary>Only committed transactional records; aborted ones are skipped.</summary>
    ReadCommitted = 1,
}

/// <summary>Consumer settings; Kafka's names in the comments.</summary>
public sealed class ConsumerOptions : KafkaClientOptions
{
    /// <summary><c>auto.offset.reset</c>, default latest (as Kafka).</summary>
    public AutoOffsetReset AutoOffsetReset { get; set; } = AutoOffsetReset.Latest;

    /// <summary><c>fetch.max.wait.ms</c>, default 500 ms: how long the broker may hold a Fetch waiting for data.</summary>
    public TimeSpan FetchMaxWait { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary><c>fetch.min.bytes</c>, default 1.</summary>
    public int FetchMinBytes { get; set; } = 1;

    /// <summary><c>fetch.max.bytes</c>, default 50 MiB.</summary>
    public int FetchMaxBytes { get; set; } = 50 * 1024 * 1024;

    /// <summary><c>max.partition.fetch.bytes</c>, default 1 MiB.</summary>
    public int MaxPartitionFetchBytes { get; set; } = 1024 * 1024;

    /// <summary><c>isolation.level</c>, default read_uncommitted.</summary>
    public IsolationLevel IsolationLevel { get; set; } = IsolationLevel.ReadUncommitted;

    /// <summary>Largest decompressed records section accepted from one batch (a decompression-bomb guard).</summary>
    public int MaxDecompressedBatchBytes { get; set; } = 256 * 1024 * 1024;
}

/// <summary>The position of a partition is outside its log and the reset policy is <see cref="AutoOffsetReset.Error"/>.</summary>
public sealed class OffsetOutOfRangeException : KafkaException
{
    public OffsetOutOfRangeException(string message)
        : base(Brook.Protocol.Errors.ErrorCode.OffsetOutOfRange, message)
    {
    }

    public OffsetOutOfRangeException()
        : base(Brook.Protocol.Errors.ErrorCode.OffsetOutOfRange)
    {
    }

    public OffsetOutOfRangeException(string message, Exception? inner)
        : base(message, inner)
    {
    }
}
