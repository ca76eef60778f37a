using System.Buffers;

namespace Brook.Protocol.Compression;

/// <summary>
/// zstd through libzstd.so.1. Decompression streams (Kafka clients may omit the content size
/// from the frame header) with one reusable context per thread; output is capped by the caller.
/// </summary>
internal static unsafe class ZstdCodec
{
    private const int Level = 3; // zstd's own default, and Kafka's.

    public static readonly NativeCodecLibrary Library =
        new("zstd needs libzstd.so.1: apt-get install libzstd1", "libzstd.so.1", "libzstd.so");

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
        nuint bound = api.CompressBound((nuint)source.Length);
        Span<byte> output = destination.GetSpan(checked((int)bound));
        nuint written;
        fixed (byte* src = source)
        fixed (byte* dst = output)
        {
            written = api.Compress(dst, (nuint)output.Length, src, (nuint)source.Length, Level);
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
            context = _threadContext = api.CreateDContext();
        }
        CompressionStatus status = Run(api, context, source, destination, maxBytes);
        if (status != CompressionStatus.Ok)
        {
            api.ResetDContext(context, 1); // session only: drop the broken frame, keep the memory
        }
        return status;
    }

    private static CompressionStatus Run(Api api, nint context, ReadOnlySpan<byte> source, IBufferWriter<byte> destination, int maxBytes)
    {
        long total = 0;
        fixed (byte* src = source)
        {
            var input = new Buffer { Data = src, Size = (nuint)source.Length, Position = 0 };
            while (true)
            {
                int room = DecompressionBudget.NextChunk(total, maxBytes);
                Span<byte> span = destination.GetSpan(room);
                nuint inputBefore = input.Position;
                nuint hint;
                Buffer output;
                fixed (byte* dst = span)
                {
                    output = new Buffer { Data = dst, Size = (nuint)room, Position = 0 };
                    hint = api.DecompressStream(context, &output, &input);
                }
                if (api.IsError(hint) != 0)
                {
                    return CompressionStatus.CorruptData;
                }
                destination.Advance((int)output.Position);
                total += (long)output.Position;
                if (total > maxBytes)
                {
                    return CompressionStatus.OutputTooLarge;
                }
                bool inputDone = input.Position == input.Size;
                if (hint == 0 && inputDone)
                {
                    return CompressionStatus.Ok;
                }
                if (output.Position == 0 && input.Position == inputBefore)
                {
                    return CompressionStatus.CorruptData; // truncated: no progress possible
                }
            }
        }
    }

    private struct Buffer
    {
        public byte* Data;
        public nuint Size;
        public nuint Position;
    }

    private sealed class Api
    {
        public delegate* unmanaged<nint> CreateDContext;
        public delegate* unmanaged<nint, int, nuint> ResetDContext;
        public delegate* unmanaged<nint, Buffer*, Buffer*, nuint> DecompressStream;
        public delegate* unmanaged<nuint, uint> IsError;
        public delegate* unmanaged<nuint, nuint> CompressBound;
        public delegate* unmanaged<byte*, nuint, byte*, nuint, int, nuint> Compress;

        public static Api? Load()
        {
            var api = new Api
            {
                CreateDContext = (delegate* unmanaged<nint>)Library.Export("ZSTD_createDCtx"),
                ResetDContext = (delegate* unmanaged<nint, int, nuint>)Library.Export("ZSTD_DCtx_reset"),
                DecompressStream = (delegate* unmanaged<nint, Buffer*, Buffer*, nuint>)Library.Export("ZSTD_decompressStream"),
                IsError = (delegate* unmanaged<nuint, uint>)Library.Export("ZSTD_isError"),
                CompressBound = (delegate* unmanaged<nuint, nuint>)Library.Export("ZSTD_compressBound"),
                Compress = (delegate* unmanaged<byte*, nuint, byte*, nuint, int, nuint>)Library.Export("ZSTD_compress"),
            };
            bool complete = api.CreateDContext != null && api.ResetDContext != null && api.DecompressStream != null
                && api.IsError != null && api.CompressBound != null && api.Compress != null;
            return complete ? api : null;
        }
    }
}
