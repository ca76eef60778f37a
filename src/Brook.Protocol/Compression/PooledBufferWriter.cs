using System.Buffers;

namespace Brook.Protocol.Compression;

/// <summary>
/// An <see cref="IBufferWriter{T}"/> over arrays rented from <see cref="ArrayPool{T}.Shared"/>,
/// reusable across batches (<see cref="Clear"/>) and returned to the pool on
/// <see cref="Dispose"/>. Growth doubles, so it only ever holds about twice what was written.
/// </summary>
public sealed class PooledBufferWriter : IBufferWriter<byte>, IDisposable
{
    private const int MinimumSize = 256;
    private byte[] _buffer;
    private int _written;

    public PooledBufferWriter(int initialCapacity = 4096)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(initialCapacity, MinimumSize));
    }

    public int WrittenCount => _written;
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _written);
    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _written);

    /// <summary>Forgets what was written, keeping the rented array.</summary>
    public void Clear() => _written = 0;

    public void Advance(int count)
    {
        if (count < 0 || count > _buffer.Length - _written)
        {
            ThrowAdvancedTooFar();
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

    public void Dispose()
    {
        byte[] buffer = _buffer;
        _buffer = [];
        _written = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void EnsureFree(int sizeHint)
    {
        int needed = Math.Max(sizeHint, 1);
        if (_buffer.Length - _written >= needed)
        {
            return;
        }
        long wanted = Math.Max((long)_buffer.Length * 2, (long)_written + needed);
        int size = (int)Math.Min(wanted, Array.MaxLength);
        if (size - _written < needed)
        {
            throw new OutOfMemoryException("PooledBufferWriter cannot grow past Array.MaxLength");
        }
        byte[] bigger = ArrayPool<byte>.Shared.Rent(size);
        _buffer.AsSpan(0, _written).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }

    private static void ThrowAdvancedTooFar() =>
        throw new ArgumentOutOfRangeException("count", "advanced past the end of the buffer");
}
