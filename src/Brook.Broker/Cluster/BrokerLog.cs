using Microsoft.Extensions.Logging;

namespace Brook.Broker.Cluster;

internal static partial class BrokerLog
{
    [LoggerMessage(EventId = 1200, Level = LogLevel.Information, Message = "Cluster {ClusterId}: replayed {Records} metadata records, {Topics} topics")]
    public static partial void Loaded(ILogger logger, string clusterId, int records, int topics);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "Created topic {Topic} with {Partitions} partitions")]
    public static partial void TopicCreated(ILogger logger, string topic, int partitions);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Information, Message = "Deleted topic {Topic}")]
    public static partial void TopicDeleted(ILogger logger, string topic);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Warning, Message = "Skipping metadata record of unknown type {Type}")]
    public static partial void UnknownMetadataRecord(ILogger logger, string type);

    [LoggerMessage(EventId = 1204, Level = LogLevel.Warning, Message = "Could not save the producer state of {Partition} ({Reason}); the next start scans for it")]
    public static partial void ProducerStateNotSaved(ILogger logger, string partition, string reason);

    [LoggerMessage(EventId = 1210, Level = LogLevel.Warning, Message = "Kafka connection {Connection}: cannot decode {Api} v{Version} ({Error}); closing it")]
    public static partial void UndecodableRequest(ILogger logger, object connection, string api, short version, string error);

    [LoggerMessage(EventId = 1211, Level = LogLevel.Warning, Message = "Kafka connection {Connection}: {Api} v{Version} is not served (api key {ApiKey}); closing it")]
    public static partial void UnsupportedRequest(ILogger logger, object connection, string api, short apiKey, short version);

    [LoggerMessage(EventId = 1212, Level = LogLevel.Information, Message = "Rewrote the metadata log as a snapshot: {Records} records replayed, {Snapshot} kept")]
    public static partial void MetadataSnapshotted(ILogger logger, int records, int snapshot);
}
