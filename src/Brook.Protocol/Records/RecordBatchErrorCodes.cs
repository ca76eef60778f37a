namespace Brook.Protocol.Records;

/// <summary>The Kafka error code a Produce partition answers with for each <see cref="RecordBatchError"/>.</summary>
public static class RecordBatchErrorCodes
{
    public const short None = 0;
    public const short CorruptMessage = 2;
    public const short MessageTooLarge = 10;
    public const short UnsupportedCompressionType = 76;
    public const short InvalidRecord = 87;

    /// <summary>
    /// As Kafka answers: damaged bytes (CRC, sizes, record structure) are CORRUPT_MESSAGE;
    /// well-formed batches that break a rule (magic, counts, offsets, control batches from
    /// clients) are INVALID_RECORD; a codec this broker cannot run is UNSUPPORTED_COMPRESSION_TYPE;
    /// a batch that inflates past the broker's limit is MESSAGE_TOO_LARGE.
    /// </summary>
    public static short ToKafkaErrorCode(this RecordBatchError error) => error switch
    {
        RecordBatchError.None => None,
        RecordBatchError.TooShort
            or RecordBatchError.LengthMismatch
            or RecordBatchError.CrcMismatch
            or RecordBatchError.UnknownCompression
            or RecordBatchError.InvalidVarint
            or RecordBatchError.RecordLengthMismatch
            or RecordBatchError.InvalidFieldLength
            or RecordBatchError.RecordCountMismatch
            or RecordBatchError.TrailingBytes
            or RecordBatchError.CorruptCompressedData
            or RecordBatchError.CompressedRecords => CorruptMessage,
        RecordBatchError.CompressionUnavailable => UnsupportedCompressionType,
        RecordBatchError.DecompressedTooLarge => MessageTooLarge,
        _ => InvalidRecord,
    };
}
