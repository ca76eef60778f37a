using System.Buffers.Binary;

namespace Brook.Storage.Index;

/// <summary>
/// Kafka's <c>.timeindex</c>: 12-byte entries of (int64 largest timestamp so far, int32 relative
/// offset of the batch that first reached it). Every batch before that offset has a smaller
/// maximum timestamp, so a timestamp search may start there.
/// </summary>
internal sealed class TimeIndex(string path, long baseOffset, int maxBytes, bool create)
    : SparseIndex(path, maxBytes / EntryBytes, create)
{
    public const int EntryBytes = 12;

    public long BaseOffset { get; } = baseOffset;

    protected override int EntrySize => EntryBytes;

    /// <summary>Adds an entry only when the timestamp grows, keeping both columns monotonic.</summary>
    public void MaybeAppend(long timestamp, long offset)
    {
        if (Count == 0 || timestamp > Last().Key)
        {
            AppendEntry(timestamp, checked((int)(offset - BaseOffset)));
        }
    }

    /// <summary>The last entry with a timestamp at most <paramref name="timestamp"/>: where a search may start.</summary>
    public (long Timestamp, long Offset) Lookup(long timestamp) =>
        TryFindFloor(timestamp, out long found, out int relative) ? (found, BaseOffset + relative) : (-1, BaseOffset);

    public (long Timestamp, long Offset) LastEntry()
    {
        if (Count == 0)
        {
            return (-1, BaseOffset);
        }
        var (timestamp, relative) = Last();
        return (timestamp, BaseOffset + relative);
    }

    /// <summary>Drops entries pointing at batches at or after <paramref name="offset"/>.</summary>
    public void TruncateFrom(long offset)
    {
        long relative = offset - BaseOffset;
        TruncateToCount(CountWhile((_, value) => value < relative));
    }

    protected override void Encode(Span<byte> destination, long key, int value)
    {
        BinaryPrimitives.WriteInt64BigEndian(destination, key);
        BinaryPrimitives.WriteInt32BigEndian(destination[8..], value);
    }

    protected override (long Key, int Value) Decode(ReadOnlySpan<byte> source) =>
        (BinaryPrimitives.ReadInt64BigEndian(source), BinaryPrimitives.ReadInt32BigEndian(source[8..]));
}
