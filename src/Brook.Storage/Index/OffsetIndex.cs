using System.Buffers.Binary;

namespace Brook.Storage.Index;

/// <summary>
/// Kafka's <c>.index</c>: 8-byte entries of (int32 offset relative to the segment base, int32
/// byte position of the batch with that base offset), one per <c>index.interval.bytes</c> of log.
/// </summary>
internal sealed class OffsetIndex(string path, long baseOffset, int maxBytes, bool create)
    : SparseIndex(path, maxBytes / EntryBytes, create)
{
    public const int EntryBytes = 8;

    public long BaseOffset { get; } = baseOffset;

    protected override int EntrySize => EntryBytes;

    public void Append(long offset, int position) => AppendEntry(offset - BaseOffset, position);

    /// <summary>The position of the last indexed batch starting at or before <paramref name="offset"/>; 0 when none.</summary>
    public (long Offset, int Position) Lookup(long offset) =>
        TryFindFloor(offset - BaseOffset, out long relative, out int position) ? (BaseOffset + relative, position) : (BaseOffset, 0);

    /// <summary>Drops entries for batches at or after <paramref name="offset"/>.</summary>
    public void TruncateFrom(long offset)
    {
        long relative = offset - BaseOffset;
        TruncateToCount(CountWhile((key, _) => key < relative));
    }

    protected override void Encode(Span<byte> destination, long key, int value)
    {
        BinaryPrimitives.WriteInt32BigEndian(destination, checked((int)key));
        BinaryPrimitives.WriteInt32BigEndian(destination[4..], value);
    }

    protected override (long Key, int Value) Decode(ReadOnlySpan<byte> source) =>
        (BinaryPrimitives.ReadInt32BigEndian(source), BinaryPrimitives.ReadInt32BigEndian(source[4..]));
}
