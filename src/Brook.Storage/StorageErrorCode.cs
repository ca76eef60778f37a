namespace Brook.Storage;

/// <summary>
/// Outcomes of log operations as data. Values are the Kafka error codes the broker answers with,
/// so it can pass them through without a mapping table.
/// </summary>
public enum StorageErrorCode : short
{
    None = 0,
    OffsetOutOfRange = 1,
    CorruptMessage = 2,
    /// <summary>A replica append whose offsets do not follow the log end.</summary>
    InvalidOffset = 6,
    KafkaStorageError = 56,
    InvalidRecord = 87,
}
