using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;

namespace Brook.Protocol.Compression;

/// <summary>gzip through the BCL's <see cref="GZipStream"/> (zlib-ng underneath).</summary>
internal static unsafe class GzipCodec
{
    // 10-byte header, an empty deflate block (2 bytes) and the 8-byte CRC-32/ISIZE trailer.
    private const int MinimumMemberSize = 20;

    public static CompressionStatus Compress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination)
    {
        using (var sink = new BufferWriterStream(destination))
        using (var gzip = new GZipStream(sink, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(source);
        }
        return CompressionStatus.Ok;
    }

    public static CompressionStatus Decompress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination, int maxBytes)
    {
        if (source.IsEmpty)
        {
            // GZipStream writes nothing at all for empty input, so an empty section is what
            // compressing zero bytes gives.
            return CompressionStatus.Ok;
        }
        if (source.Length < MinimumMemberSize)
        {
            return CompressionStatus.CorruptData;
        }
        long total = 0;
        try
        {
            fixed (byte* src = source)
            {
                using var input = new UnmanagedMemoryStream(src, source.Length);
                using var gzip = new GZipStream(input, CompressionMode.Decompress);
                while (true)
                {
                    int room = DecompressionBudget.NextChunk(total, maxBytes);
                    int read = gzip.Read(destination.GetSpan(room)[..room]);
                    if (read == 0)
                    {
                        break;
                    }
                    destination.Advance(read);
                    total += read;
                    if (total > maxBytes)
                    {
                        return CompressionStatus.OutputTooLarge;
                    }
                }
            }
        }
        catch (InvalidDataException)
        {
            return CompressionStatus.CorruptData;
        }
        // GZipStream ends quietly at a truncated stream; zlib checks a trailer only when it
        // reaches one. The trailer's ISIZE (output length mod 2^32) must match what came out.
        // (A stream of several gzip members would need every member's size; no Kafka client writes one.)
        uint trailerSize = BinaryPrimitives.ReadUInt32LittleEndian(source[^4..]);
        return trailerSize == (uint)total ? CompressionStatus.Ok : CompressionStatus.CorruptData;
    }

    /// <summary>A write-only stream appending to an <see cref="IBufferWriter{T}"/>.</summary>
    private sealed class BufferWriterStream(IBufferWriter<byte> destination) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            buffer.CopyTo(destination.GetSpan(buffer.Length));
            destination.Advance(buffer.Length);
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
