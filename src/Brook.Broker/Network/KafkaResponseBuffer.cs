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

    /// <summary>Forgets what was written and gives the array back to the pool.</summary>
    public void Reset()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
        _written = 0;
    }

    private void EnsureFree(int sizeHint)
    {
        int needed = Math.Max(sizeHint, 1);
        if (_buffer.Length - _written >= needed)
        {
            return;
        }
        int size = Math.Max(Math.Max(MinimumSize, _buffer.Length * 2), checked(_written + needed));
        byte[] larger = ArrayPool<byte>.Shared.Rent(size);
        _buffer.AsSpan(0, _written).CopyTo(larger);
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }
        _buffer = larger;
    }

    [DoesNotReturn]
    private static void ThrowAdvancedTooFar(int count) =>
        throw new ArgumentOutOfRangeException(nameof(count), count, "advanced past the end of the buffer or by a negative count");
}
