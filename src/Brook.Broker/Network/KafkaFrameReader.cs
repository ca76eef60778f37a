using System.Buffers;
using System.Buffers.Binary;

namespace Brook.Broker.Network;

/// <summary>What <see cref="KafkaFrameReader.TryRead"/> found at the start of the buffer.</summary>
public enum FrameStatus
{
    /// <summary>A whole frame; the buffer now starts after it.</summary>
    Complete,

    /// <summary>Not enough bytes yet, and nothing wrong with the ones there are.</summary>
    Incomplete,

    /// <summary>The declared size is negative.</summary>
    NegativeSize,

    /// <summary>The declared size cannot hold api_key, api_version and correlation_id.</summary>
    TooSmall,

    /// <summary>The declared size is above <c>socket.request.max.bytes</c>.</summary>
    TooLarge,
}

/// <summary>Splits the Kafka byte stream into frames: an int32 size, then that many bytes.</summary>
public static class KafkaFrameReader
{
    /// <summary>Bytes of the int32 size in front of every request and response.</summary>
    internal const int SizePrefixLength = 4;

    /// <summary>
    /// Reads one frame from the start of <paramref name="buffer"/>. The size is checked as soon as
    /// its four bytes are there, so an oversized frame is refused without waiting for its body.
    /// </summary>
    /// <param name="buffer">On <see cref="FrameStatus.Complete"/>, advanced past the frame; otherwise unchanged.</param>
    /// <param name="maxSize">The largest acceptable declared size.</param>
    /// <param name="declaredSize">The declared size, once four bytes are there; otherwise 0.</param>
    /// <param name="payload">The frame's bytes after the size prefix, on <see cref="FrameStatus.Complete"/>.</param>
    public static FrameStatus TryRead(ref ReadOnlySequence<byte> buffer, int maxSize, out int declaredSize, out ReadOnlySequence<byte> payload)
    {
        payload = default;
        declaredSize = 0;
        if (buffer.Length < SizePrefixLength)
        {
            return FrameStatus.Incomplete;
        }
        declaredSize = ReadSize(buffer);
        if (declaredSize < 0)
        {
            return FrameStatus.NegativeSize;
        }
        if (declaredSize < KafkaRequestFrame.HeaderStartSize)
        {
            return FrameStatus.TooSmall;
        }
        if (declaredSize > maxSize)
        {
            return FrameStatus.TooLarge;
        }
        if (buffer.Length - SizePrefixLength < declaredSize)
        {
            return FrameStatus.Incomplete;
        }
        payload = buffer.Slice(SizePrefixLength, declaredSize);
        buffer = buffer.Slice(payload.End);
        return FrameStatus.Complete;
    }

    private static int ReadSize(in ReadOnlySequence<byte> buffer)
    {
        ReadOnlySpan<byte> first = buffer.FirstSpan;
        if (first.Length >= SizePrefixLength)
        {
            return BinaryPrimitives.ReadInt32BigEndian(first);
        }
        Span<byte> size = stackalloc byte[SizePrefixLength];
        buffer.Slice(0, SizePrefixLength).CopyTo(size);
        return BinaryPrimitives.ReadInt32BigEndian(size);
    }
}
