using System.Buffers;
using Brook.Protocol.Records;
using Microsoft.Win32.SafeHandles;

namespace Brook.Storage.Batches;

/// <summary>
/// Walks the batches of a segment file from a position, reading large chunks so that recovery,
/// index rebuilding and compaction make few system calls. Each step exposes one whole batch.
/// </summary>
internal sealed class SegmentScanner : IDisposable
{
    private const int DefaultChunk = 1024 * 1024;

    private readonly SafeFileHandle _file;
    private readonly long _end;
    private readonly bool _verifyCrc;
    private byte[] _buffer;
    private long _bufferFilePosition;
    private int _bufferLength;
    private int _current;

    public SegmentScanner(SafeFileHandle file, long start, long end, bool verifyCrc, int chunkSize = DefaultChunk)
    {
        _file = file;
        _end = end;
        _verifyCrc = verifyCrc;
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(RecordBatchHeader.Size, chunkSize));
        _bufferFilePosition = start;
        Position = start;
    }

    /// <summary>File position of the current batch (after <see cref="MoveNext"/>) or of where scanning stopped.</summary>
    public long Position { get; private set; }

    public int CurrentSize { get; private set; }

    /// <summary>Why the scan stopped: <see cref="BatchStatus.Valid"/> at the end of the range.</summary>
    public BatchStatus StopReason { get; private set; }

    public ReadOnlySpan<byte> Current => _buffer.AsSpan(_current, CurrentSize);

    /// <summary>Advances to the next whole, valid batch; false at the end or at the first bad byte.</summary>
    public bool MoveNext()
    {
        if (CurrentSize > 0)
        {
            Position += CurrentSize;
            _current += CurrentSize;
            CurrentSize = 0;
        }
        if (Position >= _end)
        {
            StopReason = BatchStatus.Valid;
            return false;
        }
        if (!Ensure(RecordBatchHeader.LogOverhead))
        {
            StopReason = BatchStatus.Incomplete;
            return false;
        }
        var status = BatchCheck.TryGetSize(_buffer.AsSpan(_current, _bufferLength - _current), out int size);
        if (status != BatchStatus.Valid)
        {
            StopReason = status;
            return false;
        }
        if (Position + size > _end || !Ensure(size))
        {
            StopReason = BatchStatus.Incomplete;
            return false;
        }
        status = BatchCheck.Check(_buffer.AsSpan(_current, size), _verifyCrc);
        if (status != BatchStatus.Valid)
        {
            StopReason = status;
            return false;
        }
        CurrentSize = size;
        return true;
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    /// <summary>Makes <paramref name="count"/> bytes from <see cref="Position"/> available in the buffer.</summary>
    private bool Ensure(int count)
    {
        if (_bufferLength - _current >= count)
        {
            return true;
        }
        if (count > _buffer.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(count);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }
        _bufferFilePosition = Position;
        _current = 0;
        _bufferLength = 0;
        int want = (int)Math.Min(_buffer.Length, _end - Position);
        while (_bufferLength < want)
        {
            int read = RandomAccess.Read(_file, _buffer.AsSpan(_bufferLength, want - _bufferLength), _bufferFilePosition + _bufferLength);
            if (read == 0)
            {
                break;
            }
            _bufferLength += read;
        }
        return _bufferLength >= count;
    }
}
