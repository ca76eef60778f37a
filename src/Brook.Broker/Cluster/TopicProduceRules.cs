using Brook.Protocol.Records;
using Brook.Storage;

namespace Brook.Broker.Cluster;

/// <summary>
/// What a topic's configs ask of each batch produced to it, parsed once per config change rather
/// than per request: the size limit, the timestamp bounds of CreateTime topics (Kafka's
/// <c>message.timestamp.before.max.ms</c> / <c>after.max.ms</c>, falling back to the deprecated
/// <c>message.timestamp.difference.max.ms</c>), and the codec batches are stored with.
/// </summary>
public sealed record TopicProduceRules(int MaxMessageBytes, TimestampType TimestampType, long TimestampBeforeMaxMs,
    long TimestampAfterMaxMs, CompressionType? Compression)
{
    public const string TimestampBeforeMaxMsName = "message.timestamp.before.max.ms";
    public const string TimestampAfterMaxMsName = "message.timestamp.after.max.ms";
    public const string TimestampDifferenceMaxMsName = "message.timestamp.difference.max.ms";
    public const string CompressionTypeName = "compression.type";

    /// <summary>Records' own timestamps are checked against the broker's clock (CreateTime topics with a finite bound).</summary>
    public bool BoundsTimestamps => TimestampType == TimestampType.CreateTime
        && (TimestampBeforeMaxMs != long.MaxValue || TimestampAfterMaxMs != long.MaxValue);

    /// <summary>The rules of a topic with these overrides.</summary>
    public static TopicProduceRules Of(IReadOnlyDictionary<string, string> overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        LogConfig log = TopicConfigs.ToLogConfig(overrides);
        long difference = LongOf(overrides, TimestampDifferenceMaxMsName);
        long before = LongOf(overrides, TimestampBeforeMaxMsName);
        long after = LongOf(overrides, TimestampAfterMaxMsName);
        return new TopicProduceRules(
            TopicConfigs.MaxMessageBytesOf(overrides),
            log.MessageTimestampType,
            before != long.MaxValue ? before : difference,
            after != long.MaxValue ? after : difference,
            overrides.TryGetValue(CompressionTypeName, out string? codec) ? CodecOf(codec) : null);
    }

    /// <summary>The codec a <c>compression.type</c> value stores batches with; null for <c>producer</c> (as sent).</summary>
    public static CompressionType? CodecOf(string value) => value switch
    {
        "producer" => null,
        "uncompressed" => CompressionType.None,
        "gzip" => CompressionType.Gzip,
        "snappy" => CompressionType.Snappy,
        "lz4" => CompressionType.Lz4,
        "zstd" => CompressionType.Zstd,
        _ => throw new ArgumentException($"compression.type must be producer, uncompressed, gzip, snappy, lz4 or zstd, not {value}"),
    };

    private static long LongOf(IReadOnlyDictionary<string, string> overrides, string name) =>
        overrides.TryGetValue(name, out string? value) ? TopicConfigs.Long(value) : long.MaxValue;
}
