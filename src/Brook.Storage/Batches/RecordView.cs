using Brook.Protocol.Records;

namespace Brook.Storage.Batches;

/// <summary>
/// One record of an uncompressed batch, parsed only as far as the log needs (compaction and
/// timestamp lookups): its bytes, offset, timestamp, key and whether the value is null.
/// </summary>
internal readonly ref struct RecordView
{
    public RecordView(ReadOnlySpan<byte> bytes, long offset, long timestamp, ReadOnlySpan<byte> key, bool hasKey, bool isTombstone)
    {
        Bytes = bytes;
        Offset = offset;
        Timestamp = timestamp;
        Key = key;
        HasKey = hasKey;
        IsTombstone = isTombstone;
    }

    /// <summary>The record's whole encoding, length prefix included; valid to copy into a rewritten batch with the same base offset and timestamp.</summary>
    public ReadOnlySpan<byte> Bytes { get; }

    public long Offset { get; }

    public long Timestamp { get; }

    public ReadOnlySpan<byte> Key { get; }

    public bool HasKey { get; }

    public bool IsTombstone { get; }
}

/// <summary>Iterates the records of an uncompressed batch without allocating.</summary>
internal ref struct RecordEnumerator
{
    private readonly ReadOnlySpan<byte> _records;
    private readonly long _baseOffset;
    private readonly long _baseTimestamp;
    private int _position;

    public RecordEnumerator(ReadOnlySpan<byte> batch)
    {
        var header = new RecordBatchHeader(batch);
        _records = batch[RecordBatchHeader.Size..header.TotalSize];
        _baseOffset = header.BaseOffset;
        _baseTimestamp = header.BaseTimestamp;
        _position = 0;
        Current = default;
    }

    public RecordView Current { get; private set; }

    /// <summary>Moves to the next record; false at the end or when the bytes do not parse (treated as the end).</summary>
    public bool MoveNext()
    {
        var rest = _records[_position..];
        if (rest.IsEmpty || !Varint.TryRead(rest, out long length, out int prefix) || length < 0 || prefix + length > rest.Length)
        {
            return false;
        }
        var body = rest.Slice(prefix, (int)length);
        int at = 1; // attributes byte, unused
        if (!Next(body, ref at, out long timestampDelta) || !Next(body, ref at, out long offsetDelta) || !Next(body, ref at, out long keyLength))
        {
            return false;
        }
        ReadOnlySpan<byte> key = default;
        if (keyLength > 0)
        {
            if (at + keyLength > body.Length)
            {
                return false;
            }
            key = body.Slice(at, (int)keyLength);
            at += (int)keyLength;
        }
        if (!Next(body, ref at, out long valueLength))
        {
            return false;
        }
        Current = new RecordView(rest[..(prefix + (int)length)], _baseOffset + offsetDelta, _baseTimestamp + timestampDelta, key, keyLength >= 0, valueLength < 0);
        _position += prefix + (int)length;
        return true;
    }

    public readonly RecordEnumerator GetEnumerator() => this;

    private static bool Next(ReadOnlySpan<byte> body, ref int at, out long value)
    {
        if (at > body.Length || !Varint.TryRead(body[at..], out value, out int used))
        {
            value = 0;
            return false;
        }
        at += used;
        return true;
    }
}
