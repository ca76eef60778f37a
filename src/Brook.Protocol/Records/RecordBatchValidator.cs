using Brook.Protocol.Compression;

namespace Brook.Protocol.Records;

/// <summary>
/// The checks a broker makes before appending a batch. <see cref="Validate"/> is cheap and
/// complete for uncompressed batches; for a compressed batch it checks everything but the
/// records, which <see cref="ValidateCompressedRecords"/> checks after decompressing them.
/// Nothing here throws on bad input or allocates by a length read from it.
/// </summary>
public static class RecordBatchValidator
{
    /// <summary>
    /// Validates exactly one batch: sizes (at least 61 bytes, batchLength = span length - 12),
    /// magic 2, CRC-32C, codec, record count, lastOffsetDelta and, when uncompressed, every record.
    /// </summary>
    public static RecordBatchError Validate(ReadOnlySpan<byte> batch, RecordBatchOrigin origin = RecordBatchOrigin.Client)
    {
        if (batch.Length < RecordBatchHeader.Size)
        {
            return RecordBatchError.TooShort;
        }
        var header = new RecordBatchHeader(batch);
        if (header.Magic != RecordBatchHeader.CurrentMagic)
        {
            return RecordBatchError.UnsupportedMagic;
        }
        if ((long)header.BatchLength + RecordBatchHeader.LogOverhead != batch.Length)
        {
            return RecordBatchError.LengthMismatch;
        }
        if (header.Crc != RecordBatchHeader.ComputeCrc(batch))
        {
            return RecordBatchError.CrcMismatch;
        }
        if ((int)header.Compression > (int)CompressionType.Zstd)
        {
            return RecordBatchError.UnknownCompression;
        }
        RecordBatchError error = ValidateCounts(header, origin);
        if (error != RecordBatchError.None || header.Compression != CompressionType.None)
        {
            return error;
        }
        return ValidateRecords(batch[RecordBatchHeader.Size..], header, origin);
    }

    /// <summary>
    /// Decompresses a batch that passed <see cref="Validate"/> into <paramref name="scratch"/>
    /// (cleared first; at most <paramref name="maxBytes"/>) and validates its records.
    /// On success <paramref name="scratch"/> holds the uncompressed records section.
    /// </summary>
    public static RecordBatchError ValidateCompressedRecords(ReadOnlySpan<byte> batch, PooledBufferWriter scratch, int maxBytes,
        RecordBatchOrigin origin = RecordBatchOrigin.Client)
    {
        ArgumentNullException.ThrowIfNull(scratch);
        RecordBatchError error = RecordBatch.TryRead(batch, out RecordBatch view);
        if (error != RecordBatchError.None)
        {
            return error;
        }
        scratch.Clear();
        error = view.DecompressRecords(scratch, maxBytes);
        return error != RecordBatchError.None ? error : ValidateRecords(scratch.WrittenSpan, view.Header, origin);
    }

    /// <summary>
    /// Walks an uncompressed records section: every record parses exactly, there are exactly
    /// recordsCount of them, offset deltas fit <paramref name="origin"/>'s rule, and a control
    /// batch holds one well-formed control record.
    /// </summary>
    public static RecordBatchError ValidateRecords(ReadOnlySpan<byte> recordsSection, RecordBatchHeader header, RecordBatchOrigin origin)
    {
        int lastOffsetDelta = header.LastOffsetDelta;
        int previousDelta = -1;
        var records = new RecordEnumerator(recordsSection, header.RecordsCount);
        while (records.MoveNext())
        {
            int delta = records.Current.OffsetDelta;
            bool inOrder = origin == RecordBatchOrigin.Client
                ? delta == previousDelta + 1
                : delta > previousDelta && delta <= lastOffsetDelta;
            if (!inOrder)
            {
                return RecordBatchError.InvalidOffsetDelta;
            }
            if (header.IsControl && !IsWellFormedControlRecord(records.Current))
            {
                return RecordBatchError.InvalidControlRecord;
            }
            previousDelta = delta;
        }
        if (records.Error != RecordBatchError.None)
        {
            return records.Error;
        }
        return origin == RecordBatchOrigin.Client && previousDelta != lastOffsetDelta
            ? RecordBatchError.InvalidLastOffsetDelta
            : RecordBatchError.None;
    }

    private static RecordBatchError ValidateCounts(RecordBatchHeader header, RecordBatchOrigin origin)
    {
        int count = header.RecordsCount;
        int lastOffsetDelta = header.LastOffsetDelta;
        if (count < 0 || (count == 0 && origin == RecordBatchOrigin.Client))
        {
            return RecordBatchError.InvalidRecordCount;
        }
        if (header.IsControl)
        {
            if (origin == RecordBatchOrigin.Client)
            {
                return RecordBatchError.ControlBatchFromClient;
            }
            if (count > 1)
            {
                return RecordBatchError.InvalidControlRecord;
            }
        }
        bool deltaFits = origin == RecordBatchOrigin.Client
            ? lastOffsetDelta == count - 1
            : lastOffsetDelta >= 0 && lastOffsetDelta >= count - 1;
        return deltaFits ? RecordBatchError.None : RecordBatchError.InvalidLastOffsetDelta;
    }

    private static bool IsWellFormedControlRecord(Record record)
    {
        if (record.KeyIsNull || !ControlRecord.TryReadKey(record.Key, out _, out ControlRecordType type))
        {
            return false;
        }
        // Unknown control types are tolerated; ABORT/COMMIT must carry a marker value.
        return !ControlRecord.IsEndTransactionMarker(type)
            || (!record.ValueIsNull && ControlRecord.TryReadEndTransactionMarker(record.Value, out _, out _));
    }
}
