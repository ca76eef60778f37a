using System.Buffers;
using Brook.Protocol.Records;

namespace Brook.Storage;

/// <summary>
/// A read: a slice of one segment file holding whole batches from the requested offset. Copy it
/// once into the network buffer with <see cref="CopyTo(Span{byte})"/>; dispose it afterwards so
/// a segment deleted meanwhile can close its file. The slice may stop inside the last batch when
/// the byte limit does; copying keeps whole batches only.
/// </summary>
public sealed class LogReadResult : IDisposable
{
    private LogSegment? _segment;

    private LogReadResult(StorageErrorCode error, LogSegment? segment, long position, int length, long logStartOffset, long logEndOffset)
    {
        Error = error;
        _segment = segment;
        Position = position;
        Length = length;
        LogStartOffset = logStartOffset;
        LogEndOffset = logEndOffset;
    }

    public StorageErrorCode Error { get; }

    /// <summary>Most bytes the copy can produce; 0 when there is nothing to read.</summary>
    public int Length { get; }

    public bool IsEmpty => Length == 0;

    /// <summary>Log start offset seen by this read (the fetch response's log start offset).</summary>
    public long LogStartOffset { get; }

    /// <summary>Log end offset seen by this read.</summary>
    public long LogEndOffset { get; }

    internal long Position { get; }

    internal static LogReadResult Empty(long logStartOffset, long logEndOffset) => new(StorageErrorCode.None, null, 0, 0, logStartOffset, logEndOffset);

    internal static LogReadResult Failed(StorageErrorCode error, long logStartOffset, long logEndOffset) => new(error, null, 0, 0, logStartOffset, logEndOffset);

    /// <summary>Takes over a reference the reader acquired on <paramref name="segment"/>.</summary>
    internal static LogReadResult Slice(LogSegment segment, long position, int length, long logStartOffset, long logEndOffset) =>
        new(StorageErrorCode.None, segment, position, length, logStartOffset, logEndOffset);

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
        int total = 0;
        while (total < target.Length)
        {
            int read = RandomAccess.Read(segment.Handle, target[total..], Position + total);
            if (read == 0)
            {
                break; // truncated under us: keep what is whole
            }
            total += read;
        }
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
