using Brook.Protocol.Compression;
using Brook.Protocol.Records;
using Brook.Storage.Batches;

namespace Brook.Storage.Compaction;

/// <summary>
/// Rewrites one closed segment keeping, per key, only records at or after the latest offset in
/// the map. Offsets never change: a partly kept batch is rewritten with its surviving records'
/// bytes unchanged (so their offset and timestamp deltas still hold), the same base offset, last
/// offset delta, timestamps and producer fields, recompressed with its own codec, and a new CRC.
/// Transactions without a marker in range and batches that do not decode (a codec not installed,
/// corrupt or oversized data) are kept whole; aborted transactional batches are dropped; committed
/// ones compact like any other; control batches are kept, but for an end marker whose
/// transaction has nothing left once <c>delete.retention.ms</c> has passed (<see cref="TransactionDataLeft"/>;
/// docs/storage.md).
/// </summary>
internal static class SegmentCompactor
{
    private const int OutputBuffer = 1024 * 1024;
    /// <summary>A compressed batch inflating beyond this is kept whole rather than rewritten.</summary>
    private const int MaxDecompressedBytes = 64 * 1024 * 1024;

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
        using var decompressed = new PooledBufferWriter();
        using var scanner = new SegmentScanner(segment.Handle, 0, segment.Size, verifyCrc: false);
        while (scanner.MoveNext())
        {
            var header = new RecordBatchHeader(scanner.Current);
            if (!IsRewritable(header, outcomes))
            {
                continue;
            }
            foreach (var record in Records(scanner.Current, decompressed))
            {
                if (!record.KeyIsNull)
                {
                    map.Put(record.Key, record.Offset(header.BaseOffset));
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
    public static long Write(LogSegment segment, KeyOffsetMap map, TransactionOutcomes outcomes, TransactionDataLeft dataLeft,
        bool dropTombstones, string destination, List<long> droppedAborts)
    {
        bool changed = false;
        using var buffers = new RewriteBuffers();
        using var output = new FileStream(destination, FileMode.Create, FileAccess.Write, FileShare.None, OutputBuffer);
        using var scanner = new SegmentScanner(segment.Handle, 0, segment.Size, verifyCrc: false);
        while (scanner.MoveNext())
        {
            var batch = scanner.Current;
            var header = new RecordBatchHeader(batch);
            if (header.IsTransactional && !header.IsControl && outcomes.IsAborted(header.BaseOffset))
            {
                changed = true; // aborted data goes; its marker stays
                dataLeft.Data(header.ProducerId, left: false);
                continue;
            }
            if (header.IsTransactional && header.IsControl
                && TransactionOutcomes.MarkerOf(batch, header) is { } marker && ControlRecord.IsEndTransactionMarker(marker))
            {
                (bool met, bool left) = dataLeft.End(header.ProducerId);
                // Past delete.retention.ms, an end marker of nothing left goes: a COMMIT with its data,
                // an ABORT only once its data went in an earlier pass (its index entry goes first).
                if (dropTombstones && !left && (marker == ControlRecordType.Commit || !met))
                {
                    changed = true;
                    if (marker == ControlRecordType.Abort)
                    {
                        droppedAborts.Add(header.BaseOffset);
                    }
                    continue;
                }
            }
            if (!IsRewritable(header, outcomes))
            {
                output.Write(batch);
                if (header.IsTransactional && !header.IsControl)
                {
                    dataLeft.Data(header.ProducerId, left: true);
                }
                continue;
            }
            changed |= WriteSurvivors(batch, map, dropTombstones, output, buffers, out bool dropped);
            if (header.IsTransactional)
            {
                dataLeft.Data(header.ProducerId, left: !dropped);
            }
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
        && (!header.IsTransactional || outcomes.IsCommitted(header.BaseOffset));

    /// <summary>The batch's records, decompressed into <paramref name="scratch"/> if need be; nothing when it does not decode.</summary>
    private static RecordEnumerator Records(ReadOnlySpan<byte> batch, PooledBufferWriter scratch) =>
        RecordBatch.TryRead(batch, out RecordBatch view) == RecordBatchError.None
            ? view.GetRecords(scratch, MaxDecompressedBytes)
            : new RecordEnumerator(default, -1); // a negative count fails at once, so the batch is kept whole

    /// <summary>Writes the batch with only its surviving records; true if any record was dropped.</summary>
    private static bool WriteSurvivors(ReadOnlySpan<byte> batch, KeyOffsetMap map, bool dropTombstones, Stream output, RewriteBuffers buffers, out bool dropped)
    {
        dropped = false;
        var header = new RecordBatchHeader(batch);
        var records = Records(batch, buffers.Decompressed);
        ReadOnlySpan<byte> section = header.Compression == CompressionType.None
            ? batch[RecordBatchHeader.Size..]
            : buffers.Decompressed.WrittenSpan;
        buffers.Survivors.Clear();
        int position = 0;
        int kept = 0;
        while (records.MoveNext())
        {
            var record = records.Current;
            if (Survives(record, header.BaseOffset, map, dropTombstones))
            {
                AppendBytes(buffers.Survivors, section.Slice(position, record.SizeInBytes));
                kept++;
            }
            position += record.SizeInBytes;
        }
        if (records.Error != RecordBatchError.None || kept == records.RecordsRead)
        {
            output.Write(batch); // unparsable records are kept as they are
            return false;
        }
        if (kept == 0)
        {
            dropped = true;
            return true; // the whole batch is superseded
        }
        buffers.Batch.Clear();
        if (RecordBatchRecompressor.Recompress(batch, buffers.Survivors.WrittenSpan, header.Compression, buffers.Compressed, buffers.Batch, kept) != CompressionStatus.Ok)
        {
            output.Write(batch);
            return false;
        }
        output.Write(buffers.Batch.WrittenSpan);
        return true;
    }

    private static void AppendBytes(PooledBufferWriter target, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(target.GetSpan(bytes.Length));
        target.Advance(bytes.Length);
    }

    private static bool Survives(Record record, long baseOffset, KeyOffsetMap map, bool dropTombstones)
    {
        if (record.KeyIsNull)
        {
            return true; // compacted topics reject null keys; keep anything that slipped in
        }
        long offset = record.Offset(baseOffset);
        if (map.Get(record.Key) > offset)
        {
            return false;
        }
        return !(record.ValueIsNull && dropTombstones);
    }

    /// <summary>Pooled buffers reused across the batches of one rewrite.</summary>
    private sealed class RewriteBuffers : IDisposable
    {
        public PooledBufferWriter Decompressed { get; } = new();
        public PooledBufferWriter Survivors { get; } = new();
        public PooledBufferWriter Compressed { get; } = new();
        public PooledBufferWriter Batch { get; } = new();

        public void Dispose()
        {
            Decompressed.Dispose();
            Survivors.Dispose();
            Compressed.Dispose();
            Batch.Dispose();
        }
    }
}
