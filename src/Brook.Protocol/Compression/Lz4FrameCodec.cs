using System.Buffers;
using System.Runtime.InteropServices;

namespace Brook.Protocol.Compression;

/// <summary>
/// LZ4 frame format (what Kafka means by lz4) through liblz4.so.1's LZ4F API. Frames are
/// written as Kafka's own Java client writes them: independent 64 KiB blocks, no content size,
/// no checksums beyond the header's, which every Kafka client can read.
/// </summary>
internal static unsafe class Lz4FrameCodec
{
    private const uint LZ4FVersion = 100;
    private const int BlockSize64KiB = 4;
    private const int BlockIndependent = 1;

    public static readonly NativeCodecLibrary Library =
        new("lz4 needs liblz4.so.1: apt-get install liblz4-1", "liblz4.so.1", "liblz4.so");

    [ThreadStatic]
    private static nint _threadContext;

    private static readonly Api? Functions = Api.Load();

    public static bool IsAvailable => Functions is not null;

    public static CompressionStatus Compress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination)
    {
        if (Functions is not { } api)
        {
            return CompressionStatus.CodecUnavailable;
        }
        var preferences = new Preferences
        {
            BlockSizeId = BlockSize64KiB,
            BlockMode = BlockIndependent,
        };
        nuint bound = api.CompressFrameBound((nuint)source.Length, &preferences);
        Span<byte> output = destination.GetSpan(checked((int)bound));
        nuint written;
        fixed (byte* src = source)
        fixed (byte* dst = output)
        {
            written = api.CompressFrame(dst, (nuint)output.Length, src, (nuint)source.Length, &preferences);
        }
        if (api.IsError(written) != 0)
        {
            return CompressionStatus.CorruptData;
        }
        destination.Advance((int)written);
        return CompressionStatus.Ok;
    }

    public static CompressionStatus Decompress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination, int maxBytes)
    {
        if (Functions is not { } api)
        {
            return CompressionStatus.CodecUnavailable;
        }
        nint context = _threadContext;
        if (context == 0)
        {
            nint created;
            if (api.IsError(api.CreateDecompressionContext(&created, LZ4FVersion)) != 0)
            {
                return CompressionStatus.CodecUnavailable;
            }
            context = _threadContext = created;
        }
        CompressionStatus status = Run(api, context, source, destination, maxBytes);
        if (status != CompressionStatus.Ok)
        {
            api.ResetDecompressionContext(context);
        }
        return status;
    }

    private static CompressionStatus Run(Api api, nint context, ReadOnlySpan<byte> source, IBufferWriter<byte> destination, int maxBytes)
    {
        if (source.IsEmpty)
        {
            return CompressionStatus.CorruptData;
        }
        long total = 0;
        int consumed = 0;
        fixed (byte* src = source)
        {
            while (true)
            {
                int room = DecompressionBudget.NextChunk(total, maxBytes);
                Span<byte> span = destination.GetSpan(room);
                nuint outputSize = (nuint)room;
                nuint inputSize = (nuint)(source.Length - consumed);
                nuint hint;
                fixed (byte* dst = span)
                {
                    hint = api.Decompress(context, dst, &outputSize, src + consumed, &inputSize, null);
                }
                if (api.IsError(hint) != 0)
                {
                    return CompressionStatus.CorruptData;
                }
                consumed += (int)inputSize;
                destination.Advance((int)outputSize);
                total += (long)outputSize;
                if (total > maxBytes)
                {
                    return CompressionStatus.OutputTooLarge;
                }
                if (hint == 0 && consumed == source.Length)
                {
                    return CompressionStatus.Ok;
                }
                if (outputSize == 0 && inputSize == 0)
                {
                    return CompressionStatus.CorruptData; // truncated frame
                }
            }
        }
    }

    /// <summary>LZ4F_preferences_t (lz4frame.h, v1.9).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Preferences
    {
        public int BlockSizeId;
        public int BlockMode;
        public int ContentChecksumFlag;
        public int FrameType;
        public ulong ContentSize;
        public uint DictionaryId;
        public int BlockChecksumFlag;
        public int CompressionLevel;
        public uint AutoFlush;
        public uint FavorDecompressionSpeed;
        public uint Reserved0;
        public uint Reserved1;
        public uint Reserved2;
    }

    private sealed class Api
    {
        public delegate* unmanaged<nuint, Preferences*, nuint> CompressFrameBound;
        public delegate* unmanaged<byte*, nuint, byte*, nuint, Preferences*, nuint> CompressFrame;
        public delegate* unmanaged<nuint, uint> IsError;
        public delegate* unmanaged<nint*, uint, nuint> CreateDecompressionContext;
        public delegate* unmanaged<nint, void> ResetDecompressionContext;
        public delegate* unmanaged<nint, byte*, nuint*, byte*, nuint*, void*, nuint> Decompress;

        public static Api? Load()
        {
            var api = new Api
            {
                CompressFrameBound = (delegate* unmanaged<nuint, Preferences*, nuint>)Library.Export("LZ4F_compressFrameBound"),
                CompressFrame = (delegate* unmanaged<byte*, nuint, byte*, nuint, Preferences*, nuint>)Library.Export("LZ4F_compressFrame"),
                IsError = (delegate* unmanaged<nuint, uint>)Library.Export("LZ4F_isError"),
                CreateDecompressionContext = (delegate* unmanaged<nint*, uint, nuint>)Library.Export("LZ4F_createDecompressionContext"),
                ResetDecompressionContext = (delegate* unmanaged<nint, void>)Library.Export("LZ4F_resetDecompressionContext"),
                Decompress = (delegate* unmanaged<nint, byte*, nuint*, byte*, nuint*, void*, nuint>)Library.Export("LZ4F_decompress"),
            };
            bool complete = api.CompressFrameBound != null && api.CompressFrame != null && api.IsError != null
                && api.CreateDecompressionContext != null && api.ResetDecompressionContext != null && api.Decompress != null;
            return complete ? api : null;
        }
    }
}
