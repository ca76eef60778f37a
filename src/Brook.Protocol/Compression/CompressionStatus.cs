namespace Brook.Protocol.Compression;

/// <summary>Outcome of compressing or decompressing a records section.</summary>
public enum CompressionStatus
{
    Ok = 0,
    /// <summary>The input is not valid data for the codec (or is truncated).</summary>
    CorruptData,
    /// <summary>The output would exceed the caller's maximum; decompression stopped there.</summary>
    OutputTooLarge,
    /// <summary>The codec's native library could not be loaded; see <see cref="RecordCompression.InstallHint"/>.</summary>
    CodecUnavailable,
    /// <summary>Not a codec Kafka defines (attribute values 5-7).</summary>
    UnknownCodec,
}
