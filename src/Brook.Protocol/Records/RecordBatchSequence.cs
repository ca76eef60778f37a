using System.Buffers.Binary;

namespace Brook.Protocol.Records;

/// <summary>
/// Walks a buffer of concatenated batches (a Produce/Fetch <c>records</c> field, a chunk of a
/// segment file), yielding each whole batch's bytes by its length prefix. A batch cut off at
/// the end is not yielded: <see cref="HasPartialTail"/> tells (Kafka clients ignore such a
/// tail in Fetch data). A length that cannot be a batch stops the walk with <see cref="Error"/>.
/// Checks framing only; validate each batch separately.
/// </summary>
public ref struct RecordBatchSequence
{
    private readonly ReadOnlySpan<byte> _buffer;
    private int _pos;

    public RecordBatchSequence(ReadOnlySpan<byte> buffer)
    {
        _buffer = buffer;
        _pos = 0;
        Current = default;
        Error = RecordBatchError.None;
        HasPartialTail = false;
    }

    /// <summary>The current batch, exactly its own bytes.</summary>
    public ReadOnlySpan<byte> Current { get; private set; }

    /// <summary>Offset of <see cref="Current"/> in the buffer.</summary>
    public int CurrentOffset { get; private set; }

    /// <summary>Bytes of whole batches walked so far.</summary>
    public readonly int Consumed => _pos;

    /// <summary>True when the walk stopped at an incomplete trailing batch.</summary>
    public bool HasPartialTail { get; private set; }

    /// <summary>Set when a batch length is impossible (corrupt framing), which also stops the walk.</summary>
    public RecordBatchError Error { get; private set; }

    public readonly RecordBatchSequence GetEnumerator() => this;

    public bool MoveNext()
    {
        int remaining = _buffer.Length - _pos;
        if (remaining == 0 || Error != RecordBatchError.None || HasPartialTail)
        {
            return false;
        }
        if (remaining < RecordBatchHeader.LogOverhead)
        {
            HasPartialTail = true;
            return false;
        }
        int batchLength = BinaryPrimitives.ReadInt32BigEndian(_buffer[(_pos + RecordBatchHeader.BatchLengthOffset)..]);
        if (batchLength < RecordBatchHeader.Size - RecordBatchHeader.LogOverhead)
        {
            Error = RecordBatchError.LengthMismatch;
            return false;
        }
        if (batchLength > remaining - RecordBatchHeader.LogOverhead)
        {
            HasPartialTail = true;
            return false;
        }
        int size = batchLength + RecordBatchHeader.LogOverhead;
        CurrentOffset = _pos;
        Current = _buffer.Slice(_pos, size);
        _pos += size;
        return true;
    }
}
