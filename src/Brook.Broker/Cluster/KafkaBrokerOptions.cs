namespace Brook.Broker.Cluster;

/// <summary>Broker-wide Kafka settings with Kafka's names and defaults.</summary>
public sealed class KafkaBrokerOptions
{
    /// <summary><c>auto.create.topics.enable</c>: Metadata for an unknown topic creates it.</summary>
    public bool AutoCreateTopics { get; set; } = true;

    /// <summary><c>num.partitions</c>: partitions of auto-created topics and of CreateTopics with -1.</summary>
    public int DefaultPartitions { get; set; } = 1;

    /// <summary>
    /// <c>fetch.max.bytes</c>: the most record bytes one Fetch response carries, whatever the client
    /// asks for (at least one batch is always returned, so a consumer is never stuck).
    /// </summary>
    public int FetchMaxBytes { get; set; } = DefaultFetchMaxBytes;

    /// <summary>Kafka's <c>fetch.max.bytes</c> default, 55 MiB, for the settings and the described configs.</summary>
    public const int DefaultFetchMaxBytes = 57_671_680;

    /// <summary>Bytes of written zeros kept ahead of each active segment's appends (0 turns it off; docs/storage.md, "Zero window").</summary>
    public int LogZeroWindowBytes { get; set; } = Brook.Storage.LogOptions.DefaultZeroWindowBytes;

    /// <summary>A partition appending faster than this many bytes per second extends no zero window.</summary>
    public long LogZeroWindowMaxBytesPerSecond { get; set; } = Brook.Storage.LogOptions.DefaultZeroWindowMaxBytesPerSecond;

    /// <summary>
    /// Start-up rewrites the metadata log as a snapshot of the current state (one record per live
    /// topic) once replay reads more than this many records, if the snapshot is at most half of them.
    /// </summary>
    public int MetadataSnapshotRecords { get; set; } = 1000;

    /// <summary>The group coordinator's settings (<c>group.*</c>, <c>offsets.*</c>).</summary>
    public Groups.GroupCoordinatorOptions Groups { get; set; } = new();

    /// <summary>The transaction coordinator's settings (<c>transaction.*</c>, <c>transactional.id.*</c>).</summary>
    public Transactions.TransactionCoordinatorOptions Transactions { get; set; } = new();
}
