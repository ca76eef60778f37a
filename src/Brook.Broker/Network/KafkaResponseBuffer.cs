using System.Buffers;
using System.Diagnostics.CodeAnalysis;

namespace Brook.Broker.Network;

/// <summary>
/// A growable buffer on <see cref="ArrayPool{T}.Shared"/> that a dispatcher writes one response
/// into. Unlike a plain <see cref="IBufferWriter{T}"/> it lets the writer patch bytes it already
/// wrote (a length or count known only at the end) through <see cref="WrittenSpan"/>.
/// </summary>
public sealed class KafkaResponseBuffer : IBufferWriter<byte>
{
    private const int MinimumSize = 256;

    /// <summary>
    /// Arrays above this are allocated for one response and left to the GC instead of pooled:
    /// the shared pool keeps what it is given per size and per thread, and a few large Fetch
    /// responses would stay resident for good.
    /// </summary>
    internal const int LargestPooled = 1024 * 1024;
    private byte[] _buffer = [];
    private int _written;

    /// <summary>Bytes written so far.</summary>
    public int WrittenCount => _written;

    public Span<byte> WrittenSpan => _buffer.AsSpan(0, _written);

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _written);

    public void Advance(int count)
    {
        if (count < 0 || _written + count > _buffer.Length)
        {
            ThrowAdvancedTooFar(count);
        }
        _written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        EnsureFree(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        EnsureFree(sizeHint);
        return _buffer.AsSpan(_written);
    }

    /// <summary>Makes room for <paramref name="size"/> more bytes at once (a writer that knows the response size avoids regrowing, and its copies).</summary>
    public void Reserve(int size) => EnsureFree(size);

    /// <summary>Forgets what was written and gives the array back to the pool.</summary>
    public void Reset()
    {
        Release(_buffer);
        _buffer = [];
        _written = 0;
    }

    private void EnsureFree(int sizeHint)
    {
        int needed = Math.Max(sizeHint, 1);
        if (_buffer.Length - _written >= needed)
        {
            return;
        }
        int required = checked(_written + needed);
        int size = Math.Max(Math.Max(MinimumSize, _buffer.Length * 2), required);
        byte[] larger = size <= LargestPooled ? ArrayPool<byte>.Shared.Rent(size) : GC.AllocateUninitializedArray<byte>(size);
        _buffer.AsSpan(0, _written).CopyTo(larger);
        Release(_buffer);
        _buffer = larger;
    }

    private static void Release(byte[] buffer)
    {
        if (buffer.Length is > 0 and <= LargestPooled)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    [DoesNotReturn]
    private static void ThrowAdvancedTooFar(int count) =>
        throw new ArgumentOutOfRangeException(nameof(count), count, "advanced past the end of the buffer or by a negative count");
}
