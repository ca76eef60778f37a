using System.Buffers;
using Brook.Protocol.Records;

namespace Brook.Protocol.Compression;

/// <summary>
/// Compresses and decompresses the records section of a v2 batch with any Kafka codec.
/// Errors are returned as <see cref="CompressionStatus"/>; decompression never writes more
/// than <c>maxBytes</c> (plus one probe byte) whatever the input claims.
/// </summary>
public static class RecordCompression
{
    /// <summary>Compresses <paramref name="source"/> into <paramref name="destination"/>.</summary>
    public static CompressionStatus Compress(CompressionType codec, ReadOnlySpan<byte> source, IBufferWriter<byte> destination) =>
        codec switch
        {
            CompressionType.None => Copy(source, destination),
            CompressionType.Gzip => GzipCodec.Compress(source, destination),
            CompressionType.Snappy => SnappyCodec.Compress(source, destination),
            CompressionType.Lz4 => Lz4FrameCodec.Compress(source, destination),
            CompressionType.Zstd => ZstdCodec.Compress(source, destination),
            _ => CompressionStatus.UnknownCodec,
        };

    /// <summary>
    /// Decompresses <paramref name="source"/> into <paramref name="destination"/>, failing with
    /// <see cref="CompressionStatus.OutputTooLarge"/> once the output would pass <paramref name="maxBytes"/>.
    /// On failure the destination may hold partial output.
    /// </summary>
    public static CompressionStatus Decompress(CompressionType codec, ReadOnlySpan<byte> source, IBufferWriter<byte> destination, int maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        return codec switch
        {
            CompressionType.None => source.Length > maxBytes ? CompressionStatus.OutputTooLarge : Copy(source, destination),
            CompressionType.Gzip => GzipCodec.Decompress(source, destination, maxBytes),
            CompressionType.Snappy => SnappyCodec.Decompress(source, destination, maxBytes),
            CompressionType.Lz4 => Lz4FrameCodec.Decompress(source, destination, maxBytes),
            CompressionType.Zstd => ZstdCodec.Decompress(source, destination, maxBytes),
            _ => CompressionStatus.UnknownCodec,
        };
    }

    /// <summary>True when the codec can be used here (its native library, if any, loads).</summary>
    public static bool IsAvailable(CompressionType codec) => codec switch
    {
        CompressionType.None or CompressionType.Gzip => true,
        CompressionType.Snappy => SnappyCodec.IsAvailable,
        CompressionType.Lz4 => Lz4FrameCodec.IsAvailable,
        CompressionType.Zstd => ZstdCodec.IsAvailable,
        _ => false,
    };

    /// <summary>What to install for a codec whose library is missing, e.g. "snappy needs libsnappy.so.1: apt-get install libsnappy1v5".</summary>
    public static string InstallHint(CompressionType codec) => codec switch
    {
        CompressionType.Snappy => SnappyCodec.Library.InstallHint,
        CompressionType.Lz4 => Lz4FrameCodec.Library.InstallHint,
        CompressionType.Zstd => ZstdCodec.Library.InstallHint,
        CompressionType.None or CompressionType.Gzip => $"{codec} is built in",
        _ => $"compression type {(int)codec} is not defined by Kafka",
    };

    /// <summary>Throws <see cref="CompressionUnavailableException"/> (naming what to install) when the codec cannot be used.</summary>
    public static void EnsureAvailable(CompressionType codec)
    {
        if (!IsAvailable(codec))
        {
            throw new CompressionUnavailableException(codec, InstallHint(codec));
        }
    }

    private static CompressionStatus Copy(ReadOnlySpan<byte> source, IBufferWriter<byte> destination)
    {
        source.CopyTo(destination.GetSpan(source.Length));
        destination.Advance(source.Length);
        return CompressionStatus.Ok;
    }
}

/// <summary>A codec was asked for whose native library is not installed; the message says what to install.</summary>
public sealed class CompressionUnavailableException : Exception
{
    public CompressionUnavailableException(CompressionType codec, string message)
        : base(message)
    {
        Codec = codec;
    }

    public CompressionType Codec { get; }
}
