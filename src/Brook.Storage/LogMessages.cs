using Microsoft.Extensions.Logging;

namespace Brook.Storage;

/// <summary>The log lines the storage layer writes, defined once.</summary>
internal static partial class LogMessages
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "{Directory}: recovery cut {Bytes} bytes after the last whole batch of segment {BaseOffset} (torn or corrupt tail); log end offset is now {EndOffset}")]
    public static partial void TruncatedTail(ILogger logger, string directory, long bytes, long baseOffset, long endOffset);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Directory}: recovery deleted segment {BaseOffset} that followed a damaged segment")]
    public static partial void DroppedSegmentAfterDamage(ILogger logger, string directory, long baseOffset);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Directory}: recovered from offset {RecoveryPoint}: scanned {Segments} segments, log end offset {EndOffset}")]
    public static partial void Recovered(ILogger logger, string directory, long recoveryPoint, int segments, long endOffset);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Directory}: deleted segment {BaseOffset} ({Reason}); log start offset {LogStartOffset}")]
    public static partial void SegmentDeleted(ILogger logger, string directory, long baseOffset, string reason, long logStartOffset);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Directory}: write failed; appends now fail with KAFKA_STORAGE_ERROR, reads go on")]
    public static partial void WentOffline(ILogger logger, string directory, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Directory}: append failed and was undone")]
    public static partial void AppendFailed(ILogger logger, string directory, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Directory}: clean close failed; the next start will recover")]
    public static partial void CloseFailed(ILogger logger, string directory, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Directory}: compacted segment {BaseOffset} from {Before} to {After} bytes")]
    public static partial void Compacted(ILogger logger, string directory, long baseOffset, long before, long after);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Directory}: cut a torn tail off the aborted-transactions index of segment {BaseOffset}")]
    public static partial void TransactionIndexRepaired(ILogger logger, string directory, long baseOffset);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Directory}: background {Task} failed")]
    public static partial void BackgroundTaskFailed(ILogger logger, string directory, string task, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Partition}: its directory belonged to topic id {Owner}, not {TopicId} (a deletion that did not finish); set aside as {Stray}, starting an empty log")]
    public static partial void StrayDirectorySetAside(ILogger logger, string partition, string owner, string topicId, string stray);
}
