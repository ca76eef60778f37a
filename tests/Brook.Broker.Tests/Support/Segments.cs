using System.Buffers;

namespace Brook.Broker.Tests.Support;

/// <summary>Builds a <see cref="ReadOnlySequence{T}"/> out of several segments, as a socket delivers bytes.</summary>
public static class Segments
{
    public static ReadOnlySequence<byte> Of(params byte[][] parts)
    {
        var first = new Segment(parts[0], 0);
        Segment last = first;
        for (int i = 1; i < parts.Length; i++)
        {
            last = last.Append(parts[i]);
        }
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    /// <summary>Cuts <paramref name="bytes"/> into pieces of <paramref name="size"/> bytes.</summary>
    public static ReadOnlySequence<byte> Split(byte[] bytes, int size) =>
        Of([.. bytes.Chunk(size)]);

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(byte[] bytes, long runningIndex)
        {
            Memory = bytes;
            RunningIndex = runningIndex;
        }

        public Segment Append(byte[] bytes)
        {
            var next = new Segment(bytes, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
