using System.Buffers.Binary;

namespace Brook.Storage.Transactions;

/// <summary>
/// One entry of a segment's aborted-transactions index (Kafka's <c>.txnindex</c> layout, 34 bytes
/// big-endian): version, producer id, the transaction's first offset, the offset of its ABORT
/// marker (<see cref="LastOffset"/>), and the last stable offset when the marker was written (no
/// transaction still open then began below it, which bounds a search: docs/storage.md).
/// </summary>
public readonly record struct AbortedTransaction(long ProducerId, long FirstOffset, long LastOffset, long LastStableOffset)
{
    public const short CurrentVersion = 0;
    public const int Size = 2 + 8 + 8 + 8 + 8;

    public void WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteInt16BigEndian(destination, CurrentVersion);
        BinaryPrimitives.WriteInt64BigEndian(destination[2..], ProducerId);
        BinaryPrimitives.WriteInt64BigEndian(destination[10..], FirstOffset);
        BinaryPrimitives.WriteInt64BigEndian(destination[18..], LastOffset);
        BinaryPrimitives.WriteInt64BigEndian(destination[26..], LastStableOffset);
    }

    /// <summary>Reads an entry; false for an unknown version (a damaged index).</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out AbortedTransaction entry)
    {
        entry = default;
        if (source.Length < Size || BinaryPrimitives.ReadInt16BigEndian(source) != CurrentVersion)
        {
            return false;
        }
        entry = new AbortedTransaction(
            BinaryPrimitives.ReadInt64BigEndian(source[2..]),
            BinaryPrimitives.ReadInt64BigEndian(source[10..]),
            BinaryPrimitives.ReadInt64BigEndian(source[18..]),
            BinaryPrimitives.ReadInt64BigEndian(source[26..]));
        return true;
    }
}
