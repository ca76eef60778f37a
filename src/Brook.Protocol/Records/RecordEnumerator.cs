namespace Brook.Protocol.Records;

/// <summary>
/// Walks the records of an UNCOMPRESSED records section (the bytes after the 61-byte header,
/// or the output of decompression), checking each record's varints and lengths exactly.
/// Allocates nothing. <see cref="MoveNext"/> returns false at the end or at the first fault;
/// then <see cref="Error"/> says which (<see cref="RecordBatchError.None"/> at a clean end,
/// which also requires exactly <c>recordsCount</c> records and no trailing bytes).
/// </summary>
public ref struct RecordEnumerator
{
    // attributes (1) + timestampDelta, offsetDelta, keyLength, valueLength, headerCount (1 each at least).
    private const int MinRecordBodySize = 6;

    private readonly ReadOnlySpan<byte> _section;
    private readonly int _count;
    private int _read;
    private int _pos;

    public RecordEnumerator(ReadOnlySpan<byte> recordsSection, int recordsCount)
    {
        _section = recordsSection;
        _count = recordsCount;
        _read = 0;
        _pos = 0;
        Current = default;
        Error = recordsCount < 0 ? RecordBatchError.InvalidRecordCount : RecordBatchError.None;
    }

    internal static RecordEnumerator Failed(RecordBatchError error)
    {
        var enumerator = new RecordEnumerator(default, 0);
        enumerator.Error = error;
        return enumerator;
    }

    public Record Current { get; private set; }

    /// <summary>Why enumeration stopped early; <see cref="RecordBatchError.None"/> while all is well.</summary>
    public RecordBatchError Error { get; private set; }

    /// <summary>Records yielded so far.</summary>
    public readonly int RecordsRead => _read;

    /// <summary>
    /// For <c>foreach</c>. foreach walks a copy, so a caller that needs <see cref="Error"/> afterwards
    /// calls <see cref="MoveNext"/> on its own variable instead.
    /// </summary>
    public readonly RecordEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        if (Error != RecordBatchError.None)
        {
            return false;
        }
        if (_read == _count)
        {
            if (_pos != _section.Length)
            {
                Error = RecordBatchError.TrailingBytes;
            }
            return false;
        }
        if (_pos == _section.Length)
        {
            Error = RecordBatchError.RecordCountMismatch;
            return false;
        }
        RecordBatchError error = TryReadRecord();
        if (error != RecordBatchError.None)
        {
            Error = error;
            return false;
        }
        _read++;
        return true;
    }

    private RecordBatchError TryReadRecord()
    {
        int start = _pos;
        int pos = _pos;
        if (!ZigZagVarint.TryReadInt32(_section, ref pos, out int length))
        {
            return RecordBatchError.InvalidVarint;
        }
        if (length < MinRecordBodySize || length > _section.Length - pos)
        {
            return RecordBatchError.RecordLengthMismatch;
        }
        // Everything below reads only inside this record's own bytes.
        ReadOnlySpan<byte> body = _section.Slice(pos, length);
        int p = 0;
        byte attributes = body[p++];
        if (!ZigZagVarint.TryReadInt64(body, ref p, out long timestampDelta)
            || !ZigZagVarint.TryReadInt32(body, ref p, out int offsetDelta)
            || !ZigZagVarint.TryReadInt32(body, ref p, out int keyLength))
        {
            return RecordBatchError.RecordLengthMismatch;
        }
        if (!TrySlice(body, ref p, keyLength, allowNull: true, out ReadOnlySpan<byte> key))
        {
            return RecordBatchError.InvalidFieldLength;
        }
        if (!ZigZagVarint.TryReadInt32(body, ref p, out int valueLength))
        {
            return RecordBatchError.RecordLengthMismatch;
        }
        if (!TrySlice(body, ref p, valueLength, allowNull: true, out ReadOnlySpan<byte> value))
        {
            return RecordBatchError.InvalidFieldLength;
        }
        if (!ZigZagVarint.TryReadInt32(body, ref p, out int headerCount))
        {
            return RecordBatchError.RecordLengthMismatch;
        }
        // Each header needs at least two bytes, which bounds a hostile count by the record size.
        if (headerCount < 0 || headerCount > (body.Length - p) / 2)
        {
            return RecordBatchError.InvalidFieldLength;
        }
        int headersStart = p;
        for (int i = 0; i < headerCount; i++)
        {
            if (!ZigZagVarint.TryReadInt32(body, ref p, out int headerKeyLength))
            {
                return RecordBatchError.RecordLengthMismatch;
            }
            if (!TrySlice(body, ref p, headerKeyLength, allowNull: false, out _))
            {
                return RecordBatchError.InvalidFieldLength;
            }
            if (!ZigZagVarint.TryReadInt32(body, ref p, out int headerValueLength))
            {
                return RecordBatchError.RecordLengthMismatch;
            }
            if (!TrySlice(body, ref p, headerValueLength, allowNull: true, out _))
            {
                return RecordBatchError.InvalidFieldLength;
            }
        }
        if (p != body.Length)
        {
            return RecordBatchError.RecordLengthMismatch;
        }
        _pos = pos + length;
        Current = new Record(attributes, timestampDelta, offsetDelta, key, keyLength < 0, value, valueLength < 0,
            headerCount, body[headersStart..], _pos - start);
        return RecordBatchError.None;
    }

    private static bool TrySlice(ReadOnlySpan<byte> body, scoped ref int p, int length, bool allowNull, out ReadOnlySpan<byte> slice)
    {
        if (length < 0)
        {
            slice = default;
            return length == -1 && allowNull;
        }
        if (length > body.Length - p)
        {
            slice = default;
            return false;
        }
        slice = body.Slice(p, length);
        p += length;
        return true;
    }
}
