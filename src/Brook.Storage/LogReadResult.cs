using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using Brook.Protocol.Records;
using Microsoft.Win32.SafeHandles;

namespace Brook.Storage;

/// <summary>
/// A read: a slice of one segment file holding whole batches from the requested offset (its
/// <see cref="Length"/> ends on a batch boundary, so a sender can promise it before reading a
/// byte). Copy it once into the network buffer with <see cref="CopyTo(Span{byte})"/> or piecewise
/// with <see cref="ReadAt"/>; dispose it afterwards so a segment deleted meanwhile can close its file.
/// </summary>
public sealed class LogReadResult : IDisposable
{
    private LogSegment? _segment;

    private LogReadResult(StorageErrorCode error, LogSegment? segment, long position, int length, long endOffset, long logStartOffset, long logEndOffset)
    {
        Error = error;
        _segment = segment;
        Position = position;
        Length = length;
        EndOffset = endOffset;
        LogStartOffset = logStartOffset;
        LogEndOffset = logEndOffset;
    }

    public StorageErrorCode Error { get; }

    /// <summary>Bytes of whole batches in the slice; 0 when there is nothing to read.</summary>
    public int Length { get; }

    /// <summary>One past the last offset of the slice's last batch (the read offset when it is empty).</summary>
    public long EndOffset { get; }

    public bool IsEmpty => Length == 0;

    /// <summary>Log start offset seen by this read (the fetch response's log start offset).</summary>
    public long LogStartOffset { get; }

    /// <summary>Log end offset seen by this read.</summary>
    public long LogEndOffset { get; }

    internal long Position { get; }

    internal static LogReadResult Empty(long logStartOffset, long logEndOffset) => new(StorageErrorCode.None, null, 0, 0, -1, logStartOffset, logEndOffset);

    internal static LogReadResult Failed(StorageErrorCode error, long logStartOffset, long logEndOffset) => new(error, null, 0, 0, -1, logStartOffset, logEndOffset);

    /// <summary>Takes over a reference the reader acquired on <paramref name="segment"/>; <paramref name="length"/> covers whole batches.</summary>
    internal static LogReadResult Slice(LogSegment segment, long position, int length, long endOffset, long logStartOffset, long logEndOffset) =>
        new(StorageErrorCode.None, segment, position, length, endOffset, logStartOffset, logEndOffset);

    /// <summary>
    /// Reads the slice's bytes from <paramref name="offset"/> on into all of
    /// <paramref name="destination"/>. Throws <see cref="IOException"/> when the file no longer
    /// holds them (truncated under the read), since the caller has promised them already.
    /// </summary>
    public void ReadAt(long offset, Span<byte> destination)
    {
        var segment = _segment ?? throw new ObjectDisposedException(nameof(LogReadResult));
        if (offset < 0 || offset + destination.Length > Length)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), offset, "outside the slice");
        }
        int total = ReadFile(segment, Position + offset, destination);
        if (total < destination.Length)
        {
            throw new IOException($"the segment ended {Position + offset + total} bytes in, inside a slice read earlier");
        }
    }

    /// <summary>
    /// The segment file and the slice's position in it, for a sender that moves the bytes itself
    /// (sendfile). The handle stays open until this read is disposed; false when there is nothing to send.
    /// </summary>
    public bool TryGetFile([NotNullWhen(true)] out SafeFileHandle? file, out long position)
    {
        var segment = _segment;
        if (segment is null || Length == 0)
        {
            file = null;
            position = 0;
            return false;
        }
        file = segment.Handle;
        position = Position;
        return true;
    }

    /// <summary>
    /// Reads the slice straight from the file (page cache) into <paramref name="destination"/>
    /// and returns how many bytes of whole batches it holds.
    /// </summary>
    public int CopyTo(Span<byte> destination)
    {
        var segment = _segment;
        if (segment is null || Length == 0)
        {
            return 0;
        }
        var target = destination[..Math.Min(destination.Length, Length)];
        int total = ReadFile(segment, Position, target); // short if truncated under us: keep what is whole
        return WholeBatchLength(target[..total]);
    }

    /// <summary>Copies into the writer's buffer and advances it by the whole batches copied.</summary>
    public int CopyTo(IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (Length == 0)
        {
            return 0;
        }
        int copied = CopyTo(writer.GetSpan(Length));
        writer.Advance(copied);
        return copied;
    }

    public void Dispose()
    {
        Interlocked.Exchange(ref _segment, null)?.Release();
    }

    /// <summary>Fills <paramref name="destination"/> from the file at <paramref name="position"/>; fewer bytes only where the file ends first.</summary>
    private static int ReadFile(LogSegment segment, long position, Span<byte> destination)
    {
        int total = 0;
        while (total < destination.Length)
        {
            int read = RandomAccess.Read(segment.Handle, destination[total..], position + total);
            if (read == 0)
            {
                break;
            }
            total += read;
        }
        return total;
    }

    private static int WholeBatchLength(ReadOnlySpan<byte> bytes)
    {
        var batches = new RecordBatchSequence(bytes);
        while (batches.MoveNext())
        {
            // Only the length of the whole batches is wanted; a cut-off tail is left out.
        }
        return batches.Consumed;
    }
}
