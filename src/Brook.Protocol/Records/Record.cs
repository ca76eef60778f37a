namespace Brook.Protocol.Records;

/// <summary>
/// One record of a v2 batch, read in place (FACTS.md §6). Key, value and header bytes are
/// slices of the batch; a null key or value is told apart from an empty one by
/// <see cref="KeyIsNull"/> / <see cref="ValueIsNull"/>. Produced by <see cref="RecordEnumerator"/>,
/// which has already checked every length, so walking the headers cannot fail.
/// </summary>
public readonly ref struct Record
{
    private readonly ReadOnlySpan<byte> _headers;

    internal Record(byte attributes, long timestampDelta, int offsetDelta, ReadOnlySpan<byte> key, bool keyIsNull,
        ReadOnlySpan<byte> value, bool valueIsNull, int headerCount, ReadOnlySpan<byte> headers, int sizeInBytes)
    {
        Attributes = attributes;
        TimestampDelta = timestampDelta;
        OffsetDelta = offsetDelta;
        Key = key;
        KeyIsNull = keyIsNull;
        Value = value;
        ValueIsNull = valueIsNull;
        HeaderCount = headerCount;
        _headers = headers;
        SizeInBytes = sizeInBytes;
    }

    public byte Attributes { get; }
    public long TimestampDelta { get; }
    public int OffsetDelta { get; }
    public ReadOnlySpan<byte> Key { get; }
    public bool KeyIsNull { get; }
    public ReadOnlySpan<byte> Value { get; }
    /// <summary>A null value is a tombstone for compaction.</summary>
    public bool ValueIsNull { get; }
    public int HeaderCount { get; }
    /// <summary>Bytes the record takes in the records section, its length varint included.</summary>
    public int SizeInBytes { get; }

    public long Offset(long baseOffset) => baseOffset + OffsetDelta;

    /// <summary>The record's timestamp; with LogAppendTime every record takes the batch's maxTimestamp.</summary>
    public long Timestamp(RecordBatchHeader header) =>
        header.IsLogAppendTime ? header.MaxTimestamp : header.BaseTimestamp + TimestampDelta;

    public RecordHeaderEnumerator Headers => new(_headers, HeaderCount);
}

/// <summary>A record header: UTF-8 key bytes (never null) and a value that may be null.</summary>
public readonly ref struct RecordHeader
{
    internal RecordHeader(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, bool valueIsNull)
    {
        Key = key;
        Value = value;
        ValueIsNull = valueIsNull;
    }

    public ReadOnlySpan<byte> Key { get; }
    public ReadOnlySpan<byte> Value { get; }
    public bool ValueIsNull { get; }
}

/// <summary>Walks headers that <see cref="RecordEnumerator"/> already validated.</summary>
public ref struct RecordHeaderEnumerator
{
    private readonly ReadOnlySpan<byte> _bytes;
    private int _remaining;
    private int _pos;

    internal RecordHeaderEnumerator(ReadOnlySpan<byte> bytes, int count)
    {
        _bytes = bytes;
        _remaining = count;
        _pos = 0;
        Current = default;
    }

    public RecordHeader Current { get; private set; }

    public readonly RecordHeaderEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        if (_remaining == 0)
        {
            return false;
        }
        _remaining--;
        ZigZagVarint.TryReadInt32(_bytes, ref _pos, out int keyLength);
        ReadOnlySpan<byte> key = _bytes.Slice(_pos, keyLength);
        _pos += keyLength;
        ZigZagVarint.TryReadInt32(_bytes, ref _pos, out int valueLength);
        if (valueLength < 0)
        {
            Current = new RecordHeader(key, default, valueIsNull: true);
            return true;
        }
        Current = new RecordHeader(key, _bytes.Slice(_pos, valueLength), valueIsNull: false);
        _pos += valueLength;
        return true;
    }
}
