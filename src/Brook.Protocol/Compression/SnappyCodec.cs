using System.Buffers;
using System.Buffers.Binary;

namespace Brook.Protocol.Compression;

/// <summary>
/// snappy through libsnappy.so.1's C API, in the xerial snappy-java framing Kafka uses: a
/// 16-byte header (magic, version 1, compatible version 1), then [int32 length, snappy block]
/// per 32 KiB of input. Reading also accepts a bare snappy block, which some clients send.
/// </summary>
internal static unsafe class SnappyCodec
{
    private const int BlockInputSize = 32 * 1024; // snappy-java's default block size
    private const int HeaderSize = 16;
    private const int FormatVersion = 1;
    private const int MinimumCompatibleVersion = 1;
    private const int SnappyOk = 0;

    public static readonly NativeCodecLibrary Library =
        new("snappy needs libsnappy.so.1: apt-get install libsnappy1v5", "libsnappy.so.1", "libsnappy.so");

    private static readonly Api? Functions = Api.Load();

    public static bool IsAvailable => Functions is not null;

    /// <summary>0x82 'SNAPPY' 0x00: the first eight bytes of a xerial stream.</summary>
    public static ReadOnlySpan<byte> XerialMagic => [0x82, 0x53, 0x4E, 0x41, 0x50, 0x50, 0x59, 0x00];

    public static CompressionStatus Compress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination)
    {
        if (Functions is not { } api)
        {
            return CompressionStatus.CodecUnavailable;
        }
        Span<byte> header = destination.GetSpan(HeaderSize);
        XerialMagic.CopyTo(header);
        BinaryPrimitives.WriteInt32BigEndian(header[8..], FormatVersion);
        BinaryPrimitives.WriteInt32BigEndian(header[12..], MinimumCompatibleVersion);
        destination.Advance(HeaderSize);
        for (int offset = 0; offset < source.Length; offset += BlockInputSize)
        {
            ReadOnlySpan<byte> block = source.Slice(offset, Math.Min(BlockInputSize, source.Length - offset));
            nuint bound = api.MaxCompressedLength((nuint)block.Length);
            Span<byte> output = destination.GetSpan(4 + (int)bound);
            nuint written = bound;
            int status;
            fixed (byte* src = block)
            fixed (byte* dst = output)
            {
                status = api.Compress(src, (nuint)block.Length, dst + 4, &written);
            }
            if (status != SnappyOk)
            {
                return CompressionStatus.CorruptData;
            }
            BinaryPrimitives.WriteInt32BigEndian(output, (int)written);
            destination.Advance(4 + (int)written);
        }
        return CompressionStatus.Ok;
    }

    public static CompressionStatus Decompress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination, int maxBytes)
    {
        if (Functions is not { } api)
        {
            return CompressionStatus.CodecUnavailable;
        }
        if (!source.StartsWith(XerialMagic))
        {
            long rawTotal = 0;
            return DecompressBlock(api, source, destination, maxBytes, ref rawTotal);
        }
        if (source.Length < HeaderSize)
        {
            return CompressionStatus.CorruptData;
        }
        long total = 0;
        int pos = HeaderSize;
        while (pos < source.Length)
        {
            if (source.Length - pos < 4)
            {
                return CompressionStatus.CorruptData;
            }
            int length = BinaryPrimitives.ReadInt32BigEndian(source[pos..]);
            pos += 4;
            if (length < 0 || length > source.Length - pos)
            {
                return CompressionStatus.CorruptData;
            }
            CompressionStatus status = DecompressBlock(api, source.Slice(pos, length), destination, maxBytes, ref total);
            if (status != CompressionStatus.Ok)
            {
                return status;
            }
            pos += length;
        }
        return CompressionStatus.Ok;
    }

    private static CompressionStatus DecompressBlock(Api api, ReadOnlySpan<byte> block, IBufferWriter<byte> destination, int maxBytes, ref long total)
    {
        nuint length;
        fixed (byte* src = block)
        {
            if (api.UncompressedLength(src, (nuint)block.Length, &length) != SnappyOk)
            {
                return CompressionStatus.CorruptData;
            }
            // The claimed length is untrusted: check it against the budget before asking for memory.
            if (length > (nuint)(maxBytes - total))
            {
                return CompressionStatus.OutputTooLarge;
            }
            if (length == 0)
            {
                return api.Validate(src, (nuint)block.Length) == SnappyOk ? CompressionStatus.Ok : CompressionStatus.CorruptData;
            }
            Span<byte> output = destination.GetSpan((int)length);
            nuint written = length;
            fixed (byte* dst = output)
            {
                if (api.Uncompress(src, (nuint)block.Length, dst, &written) != SnappyOk || written != length)
                {
                    return CompressionStatus.CorruptData;
                }
            }
        }
        destination.Advance((int)length);
        total += (long)length;
        return CompressionStatus.Ok;
    }

    private sealed class Api
    {
        public delegate* unmanaged<byte*, nuint, byte*, nuint*, int> Compress;
        public delegate* unmanaged<byte*, nuint, byte*, nuint*, int> Uncompress;
        public delegate* unmanaged<nuint, nuint> MaxCompressedLength;
        public delegate* unmanaged<byte*, nuint, nuint*, int> UncompressedLength;
        public delegate* unmanaged<byte*, nuint, int> Validate;

        public static Api? Load()
        {
            var api = new Api
            {
                Compress = (delegate* unmanaged<byte*, nuint, byte*, nuint*, int>)Library.Export("snappy_compress"),
                Uncompress = (delegate* unmanaged<byte*, nuint, byte*, nuint*, int>)Library.Export("snappy_uncompress"),
                MaxCompressedLength = (delegate* unmanaged<nuint, nuint>)Library.Export("snappy_max_compressed_length"),
                UncompressedLength = (delegate* unmanaged<byte*, nuint, nuint*, int>)Library.Export("snappy_uncompressed_length"),
                Validate = (delegate* unmanaged<byte*, nuint, int>)Library.Export("snappy_validate_compressed_buffer"),
            };
            bool complete = api.Compress != null && api.Uncompress != null && api.MaxCompressedLength != null
                && api.UncompressedLength != null && api.Validate != null;
            return complete ? api : null;
        }
    }
}
