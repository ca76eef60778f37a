using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Brook.Protocol.Records;

/// <summary>
/// A <c>records</c> field whose bytes stay where they are (a slice of a log segment file) until
/// the response is sent, carried through the generated messages as the memory of this manager.
/// A response writer that implements <see cref="IDeferredRecordsWriter"/> writes only the length
/// and moves the bytes itself at send time (file to socket buffer, one copy); any other reader of
/// the memory gets them through <see cref="GetSpan"/>, which reads them once into an array.
/// </summary>
/// <remarks>
/// Reference counted, because the response that points at it and the writer that sends it are
/// done with it at different times: the creator holds the first reference (given up by
/// <see cref="Release"/> or disposing), each writer that keeps it takes one with <see cref="Retain"/>.
/// The source is let go (<see cref="OnReleased"/>) when the last is given up.
/// </remarks>
public abstract class DeferredRecords : MemoryManager<byte>
{
    private byte[]? _materialized;
    private GCHandle _pin;
    private int _references = 1;

    protected DeferredRecords(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Length = length;
    }

    /// <summary>The number of bytes, all of them whole batches.</summary>
    public int Length { get; }

    /// <summary>The memory that stands for the records; taking it reads nothing (the base class would, through <see cref="GetSpan"/>).</summary>
    public override Memory<byte> Memory => CreateMemory(Length);

    /// <summary>
    /// Fills <paramref name="destination"/> with the bytes from <paramref name="offset"/> on.
    /// Throws <see cref="IOException"/> when the source no longer holds them (the length was
    /// already promised on the wire, so a short read cannot be answered with fewer bytes).
    /// </summary>
    public abstract void CopyTo(long offset, Span<byte> destination);

    /// <summary>
    /// The open file and the position in it where the bytes start, for a sender that moves them
    /// without reading them (sendfile); false when they are not one region of one file. The
    /// handle stays open while this object holds a reference.
    /// </summary>
    public virtual bool TryGetFile([NotNullWhen(true)] out SafeFileHandle? file, out long position)
    {
        file = null;
        position = 0;
        return false;
    }

    public void Retain() => Interlocked.Increment(ref _references);

    public void Release()
    {
        if (Interlocked.Decrement(ref _references) == 0)
        {
            if (_pin.IsAllocated)
            {
                _pin.Free();
            }
            OnReleased();
        }
    }

    /// <summary>Lets go of the source (a segment reference); called once, by the last <see cref="Release"/>.</summary>
    protected abstract void OnReleased();

    public override Span<byte> GetSpan() => Materialize();

    public override unsafe MemoryHandle Pin(int elementIndex = 0)
    {
        byte[] bytes = Materialize();
        if (!_pin.IsAllocated)
        {
            _pin = GCHandle.Alloc(bytes, GCHandleType.Pinned);
        }
        return new MemoryHandle((byte*)_pin.AddrOfPinnedObject() + elementIndex);
    }

    public override void Unpin()
    {
        // The array stays pinned until the last reference is released.
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Release();
        }
    }

    private byte[] Materialize()
    {
        if (_materialized is null)
        {
            byte[] bytes = GC.AllocateUninitializedArray<byte>(Length);
            CopyTo(0, bytes);
            _materialized = bytes;
        }
        return _materialized;
    }
}

/// <summary>
/// A response buffer that can send <see cref="DeferredRecords"/> itself: the writer records where
/// they go and writes nothing of them; the buffer takes a reference and moves the bytes at send time.
/// </summary>
public interface IDeferredRecordsWriter
{
    void WriteDeferred(DeferredRecords records);
}
