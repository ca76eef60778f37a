using System.Buffers;
using Brook.Protocol.Compression;

namespace Brook.Protocol.Records;

/// <summary>
/// One whole magic-2 record batch, read in place. <see cref="TryRead"/> checks only what is
/// needed to look inside safely (size and magic); <see cref="RecordBatchValidator"/> checks the
/// rest. Records of an uncompressed batch are enumerated directly (<see cref="GetRecords()"/>);
/// a compressed batch is first decompressed into a caller's buffer (<see cref="DecompressRecords"/>)
/// and then enumerated with <see cref="GetRecords(ReadOnlySpan{byte})"/>;
/// <see cref="GetRecords(PooledBufferWriter, int)"/> does either as needed.
/// </summary>
public readonly ref struct RecordBatch
{
    private RecordBatch(ReadOnlySpan<byte> bytes)
    {
        Bytes = bytes;
    }

    /// <summary>The batch's bytes, exactly <see cref="RecordBatchHeader.TotalSize"/> long.</summary>
    public ReadOnlySpan<byte> Bytes { get; }

    public RecordBatchHeader Header => new(Bytes);

    /// <summary>The bytes after the header: the records, or one compressed blob of them.</summary>
    public ReadOnlySpan<byte> RecordsSection => Bytes[RecordBatchHeader.Size..];

    public CompressionType Compression => Header.Compression;

    public bool IsCompressed => Header.Compression != CompressionType.None;

    /// <summary>
    /// Reads the batch at the start of <paramref name="bytes"/>; bytes after it are ignored.
    /// Fails when the header is incomplete, batchLength does not fit, or magic is not 2.
    /// </summary>
    public static RecordBatchError TryRead(ReadOnlySpan<byte> bytes, out RecordBatch batch)
    {
        batch = default;
        if (bytes.Length < RecordBatchHeader.Size)
        {
            return RecordBatchError.TooShort;
        }
        var header = new RecordBatchHeader(bytes);
        if (header.Magic != RecordBatchHeader.CurrentMagic)
        {
            return RecordBatchError.UnsupportedMagic;
        }
        int batchLength = header.BatchLength;
        if (batchLength < RecordBatchHeader.Size - RecordBatchHeader.LogOverhead
            || batchLength > bytes.Length - RecordBatchHeader.LogOverhead)
        {
            return RecordBatchError.LengthMismatch;
        }
        batch = new RecordBatch(bytes[..(batchLength + RecordBatchHeader.LogOverhead)]);
        return RecordBatchError.None;
    }

    /// <summary>Enumerates the records of an uncompressed batch; a compressed one yields nothing with <see cref="RecordBatchError.CompressedRecords"/>.</summary>
    public RecordEnumerator GetRecords() =>
        IsCompressed
            ? RecordEnumerator.Failed(RecordBatchError.CompressedRecords)
            : new RecordEnumerator(RecordsSection, Header.RecordsCount);

    /// <summary>Enumerates records from <paramref name="decompressedSection"/>, the output of <see cref="DecompressRecords"/>.</summary>
    public RecordEnumerator GetRecords(ReadOnlySpan<byte> decompressedSection) =>
        new(decompressedSection, Header.RecordsCount);

    /// <summary>
    /// Enumerates the records whether or not the batch is compressed: a compressed section is
    /// first decompressed into <paramref name="scratch"/> (cleared; at most <paramref name="maxBytes"/>),
    /// which must then outlive the enumeration. A decompression failure shows as the enumerator's
    /// <see cref="RecordEnumerator.Error"/> with nothing yielded.
    /// </summary>
    public RecordEnumerator GetRecords(PooledBufferWriter scratch, int maxBytes)
    {
        ArgumentNullException.ThrowIfNull(scratch);
        if (!IsCompressed)
        {
            return GetRecords();
        }
        scratch.Clear();
        RecordBatchError error = DecompressRecords(scratch, maxBytes);
        return error == RecordBatchError.None
            ? new RecordEnumerator(scratch.WrittenSpan, Header.RecordsCount)
            : RecordEnumerator.Failed(error);
    }

    /// <summary>
    /// Writes the uncompressed records section into <paramref name="output"/> (for an uncompressed
    /// batch, a copy), never more than <paramref name="maxBytes"/>.
    /// </summary>
    public RecordBatchError DecompressRecords(IBufferWriter<byte> output, int maxBytes)
    {
        CompressionType codec = Compression;
        if ((int)codec > (int)CompressionType.Zstd)
        {
            return RecordBatchError.UnknownCompression;
        }
        return RecordCompression.Decompress(codec, RecordsSection, output, maxBytes) switch
        {
            CompressionStatus.Ok => RecordBatchError.None,
            CompressionStatus.OutputTooLarge => RecordBatchError.DecompressedTooLarge,
            CompressionStatus.CodecUnavailable => RecordBatchError.CompressionUnavailable,
            CompressionStatus.UnknownCodec => RecordBatchError.UnknownCompression,
            _ => RecordBatchError.CorruptCompressedData,
        };
    }
}
