using System.Buffers;
using System.Buffers.Binary;
using Brook.Protocol.Records;
using Brook.Storage.Batches;

using RecordEnumerator = Brook.Storage.Batches.RecordEnumerator;

namespace Brook.Storage.Compaction;

/// <summary>
/// Rewrites one closed segment keeping, per key, only records at or after the latest offset in
/// the map. Offsets never change: a partly kept uncompressed batch is re-encoded with its base
/// offset, last offset delta, timestamps and producer fields, and a new CRC. Control batches,
/// compressed batches and transactions without a marker in range are kept whole; aborted
/// transactional batches are dropped; committed ones compact like any other (docs/storage.md).
/// </summary>
internal static class SegmentCompactor
{
    private const int OutputBuffer = 1024 * 1024;

    /// <summary>Notes the transactional batches and markers of a segment.</summary>
    public static void FindTransactionOutcomes(LogSegment segment, TransactionOutcomes outcomes)
    {
        using var scanner = new SegmentScanner(segment.Handle, 0, segment.Size, verifyCrc: false);
        while (scanner.MoveNext())
        {
            outcomes.Observe(scanner.Current);
        }
    }

    /// <summary>Adds the keys of a segment's rewritable batches to the map; false when the map filled up.</summary>
    public static bool AddKeys(LogSegment segment, KeyOffsetMap map, TransactionOutcomes outcomes)
    {
        using var scanner = new SegmentScanner(segment.Handle, 0, segment.Size, verifyCrc: false);
        while (scanner.MoveNext())
        {
            if (!IsRewritable(new RecordBatchHeader(scanner.Current), outcomes))
            {
                continue;
            }
            foreach (var record in new RecordEnumerator(scanner.Current))
            {
                if (record.HasKey)
                {
                    map.Put(record.Key, record.Offset);
                }
            }
            if (map.IsFull)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// Writes the compacted copy to <paramref name="destination"/> and fsyncs it. Returns its size,
    /// or -1 when nothing would change (the caller then keeps the segment as it is).
    /// </summary>
    public static long Write(LogSegment segment, KeyOffsetMap map, TransactionOutcomes outcomes, bool dropTombstones, string destination)
    {
        bool changed = false;
        using var output = new FileStream(destination, FileMode.Create, FileAccess.Write, FileShare.None, OutputBuffer);
        using var scanner = new SegmentScanner(segment.Handle, 0, segment.Size, verifyCrc: false);
        while (scanner.MoveNext())
        {
            var batch = scanner.Current;
            var header = new RecordBatchHeader(batch);
            if (header.IsTransactional && !header.IsControl && outcomes.IsAborted(header.BaseOffset))
            {
                changed = true; // aborted data goes; its marker stays
                continue;
            }
            if (!IsRewritable(header, outcomes))
            {
                output.Write(batch);
                continue;
            }
            changed |= WriteSurvivors(batch, map, dropTombstones, output);
        }
        if (!changed)
        {
            return -1;
        }
        output.Flush(flushToDisk: true);
        return output.Length;
    }

    private static bool IsRewritable(RecordBatchHeader header, TransactionOutcomes outcomes) =>
        !header.IsControl
        && header.Compression == CompressionType.None
        && (!header.IsTransactional || outcomes.IsCommitted(header.BaseOffset));

    /// <summary>Writes the batch with only its surviving records; true if any record was dropped.</summary>
    private static bool WriteSurvivors(ReadOnlySpan<byte> batch, KeyOffsetMap map, bool dropTombstones, Stream output)
    {
        var header = new RecordBatchHeader(batch);
        byte[] rewritten = ArrayPool<byte>.Shared.Rent(batch.Length);
        try
        {
            int length = RecordBatchHeader.Size;
            int kept = 0;
            int total = 0;
            foreach (var record in new RecordEnumerator(batch))
            {
                total++;
                if (!Survives(record, map, dropTombstones))
                {
                    continue;
                }
                record.Bytes.CopyTo(rewritten.AsSpan(length));
                length += record.Bytes.Length;
                kept++;
            }
            if (total != header.RecordsCount || kept == total)
            {
                output.Write(batch); // unparsable records are kept as they are
                return false;
            }
            if (kept == 0)
            {
                return true; // the whole batch is superseded
            }
            var span = rewritten.AsSpan(0, length);
            batch[..RecordBatchHeader.Size].CopyTo(span);
            BinaryPrimitives.WriteInt32BigEndian(span[RecordBatchHeader.BatchLengthOffset..], length - RecordBatchHeader.LogOverhead);
            BinaryPrimitives.WriteInt32BigEndian(span[RecordBatchHeader.RecordsCountOffset..], kept);
            BatchCheck.WriteCrc(span, length);
            output.Write(span);
            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rewritten);
        }
    }

    private static bool Survives(RecordView record, KeyOffsetMap map, bool dropTombstones)
    {
        if (!record.HasKey)
        {
            return true; // compacted topics reject null keys; keep anything that slipped in
        }
        long latest = map.Get(record.Key);
        if (latest > record.Offset)
        {
            return false;
        }
        return !(record.IsTombstone && dropTombstones);
    }
}
