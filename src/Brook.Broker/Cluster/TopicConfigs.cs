using System.Globalization;
using Brook.Protocol.Compression;
using Brook.Storage;

namespace Brook.Broker.Cluster;

/// <summary>
/// The topic configs Brook understands, with Kafka's names and defaults, and how they turn into a
/// <see cref="LogConfig"/>. A topic stores only its overrides; everything else is the default.
/// </summary>
public static class TopicConfigs
{
    public const string MaxMessageBytes = "max.message.bytes";
    public const int DefaultMaxMessageBytes = 1_048_588;

    /// <summary>Every known config and its default (as Kafka 3.8 reports it).</summary>
    public static readonly IReadOnlyDictionary<string, string> Defaults = new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["cleanup.policy"] = "delete",
        ["compression.type"] = "producer",
        ["delete.retention.ms"] = "86400000",
        ["flush.messages"] = "9223372036854775807",
        ["flush.ms"] = "9223372036854775807",
        ["index.interval.bytes"] = "4096",
        [MaxMessageBytes] = "1048588",
        [TopicProduceRules.TimestampAfterMaxMsName] = "9223372036854775807",
        [TopicProduceRules.TimestampBeforeMaxMsName] = "9223372036854775807",
        [TopicProduceRules.TimestampDifferenceMaxMsName] = "9223372036854775807",
        ["message.timestamp.type"] = "CreateTime",
        ["min.cleanable.dirty.ratio"] = "0.5",
        ["min.compaction.lag.ms"] = "0",
        ["min.insync.replicas"] = "1",
        ["retention.bytes"] = "-1",
        ["retention.ms"] = "604800000",
        ["segment.bytes"] = "1073741824",
        ["segment.index.bytes"] = "10485760",
        ["segment.ms"] = "604800000",
    };

    /// <summary>Null when every override is known and parses; otherwise why not.</summary>
    public static string? Validate(IReadOnlyDictionary<string, string> overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        foreach ((string name, string value) in overrides)
        {
            if (!Defaults.ContainsKey(name))
            {
                return $"Unknown topic config name: {name}";
            }
        }
        try
        {
            ToLogConfig(overrides);
        }
        catch (Exception exception) when (exception is FormatException or OverflowException or ArgumentException)
        {
            return $"Invalid config value: {exception.Message}";
        }
        return null;
    }

    public static LogConfig ToLogConfig(IReadOnlyDictionary<string, string> overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        LogConfig config = LogConfig.Default;
        foreach ((string name, string value) in overrides)
        {
            config = name switch
            {
                "cleanup.policy" => config.WithCleanupPolicy(value),
                "delete.retention.ms" => config with { DeleteRetentionMs = Long(value) },
                "flush.messages" => config with { FlushMessages = Long(value) },
                "flush.ms" => config with { FlushMs = Long(value) },
                "index.interval.bytes" => config with { IndexIntervalBytes = Int(value) },
                "message.timestamp.type" => config with { MessageTimestampType = TimestampTypeOf(value) },
                "min.cleanable.dirty.ratio" => config with { MinCleanableDirtyRatio = double.Parse(value, CultureInfo.InvariantCulture) },
                "min.compaction.lag.ms" => config with { MinCompactionLagMs = Long(value) },
                "retention.bytes" => config with { RetentionBytes = Long(value) },
                "retention.ms" => config with { RetentionMs = Long(value) },
                "segment.bytes" => config with { SegmentBytes = Int(value) },
                "segment.index.bytes" => config with { SegmentIndexBytes = Int(value) },
                "segment.ms" => config with { SegmentMs = Long(value) },
                MaxMessageBytes => Int(value) >= 0 ? config : throw new ArgumentException("max.message.bytes must not be negative"),
                TopicProduceRules.CompressionTypeName => WithCodecAvailable(config, value),
                TopicProduceRules.TimestampAfterMaxMsName or TopicProduceRules.TimestampBeforeMaxMsName or TopicProduceRules.TimestampDifferenceMaxMsName =>
                    Long(value) >= 0 ? config : throw new ArgumentException($"{name} must not be negative"),
                "min.insync.replicas" => Int(value) >= 1 ? config : throw new ArgumentException("min.insync.replicas must be at least 1"),
                _ => config,
            };
        }
        return config;
    }

    public static int MaxMessageBytesOf(IReadOnlyDictionary<string, string> overrides) =>
        overrides.TryGetValue(MaxMessageBytes, out string? value) ? Int(value) : DefaultMaxMessageBytes;

    private static TimestampType TimestampTypeOf(string value) => value switch
    {
        "CreateTime" => TimestampType.CreateTime,
        "LogAppendTime" => TimestampType.LogAppendTime,
        _ => throw new ArgumentException($"message.timestamp.type must be CreateTime or LogAppendTime, not {value}"),
    };

    /// <summary>A codec the topic is to store batches with must be known and its library loadable, or every produce would fail.</summary>
    private static LogConfig WithCodecAvailable(LogConfig config, string value)
    {
        if (TopicProduceRules.CodecOf(value) is { } codec && !RecordCompression.IsAvailable(codec))
        {
            throw new ArgumentException($"compression.type {value} is not available on this broker: {RecordCompression.InstallHint(codec)}");
        }
        return config;
    }

    internal static long Long(string value) => long.Parse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

    private static int Int(string value) => int.Parse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
}
