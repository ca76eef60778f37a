using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using Brook.Protocol.Records;

namespace Brook.Broker.Network;

/// <summary>
/// A growable buffer on <see cref="ArrayPool{T}.Shared"/> that a dispatcher writes one response
/// into. Unlike a plain <see cref="IBufferWriter{T}"/> it lets the writer patch bytes it already
/// wrote (a length or count known only at the end) through <see cref="WrittenSpan"/>.
/// Records that stay in their files until sending (<see cref="DeferredRecords"/>, a Fetch's
/// slices) are not copied in: the buffer notes where each goes and the connection moves their
/// bytes straight into the socket's buffers (<see cref="Parts"/>).
/// </summary>
public sealed class KafkaResponseBuffer : IBufferWriter<byte>, IDeferredRecordsWriter
{
    private const int MinimumSize = 256;

    /// <summary>
    /// Arrays above this are allocated for one response and left to the GC instead of pooled:
    /// the shared pool keeps what it is given per size and per thread, and a few large Fetch
    /// responses would stay resident for good.
    /// </summary>
    internal const int LargestPooled = 1024 * 1024;
    private readonly List<DeferredPart> _deferred = [];
    private byte[] _buffer = [];
    private int _written;
    private long _deferredBytes;

    /// <summary>Bytes written into the buffer so far (without deferred records).</summary>
    public int WrittenCount => _written;

    /// <summary>The whole response's length on the wire: the buffer plus the deferred records.</summary>
    public long ResponseLength => _written + _deferredBytes;

    /// <summary>True when some records are to be sent from their files.</summary>
    public bool HasDeferred => _deferred.Count > 0;

    /// <summary>The deferred records in order, each with the buffer position it goes before.</summary>
    public IReadOnlyList<DeferredPart> Parts => _deferred;

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

    /// <summary>Keeps a reference to <paramref name="records"/>; their bytes follow what is written so far.</summary>
    public void WriteDeferred(DeferredRecords records)
    {
        ArgumentNullException.ThrowIfNull(records);
        records.Retain();
        _deferred.Add(new DeferredPart(_written, records));
        _deferredBytes += records.Length;
    }

    /// <summary>Forgets what was written, gives the array back to the pool and releases the deferred records.</summary>
    public void Reset()
    {
        Release(_buffer);
        _buffer = [];
        _written = 0;
        foreach (DeferredPart part in _deferred)
        {
            part.Records.Release();
        }
        _deferred.Clear();
        _deferredBytes = 0;
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

/// <summary>Records sent from their file, placed before the response buffer's byte at <see cref="Position"/>.</summary>
public readonly record struct DeferredPart(int Position, DeferredRecords Records);
