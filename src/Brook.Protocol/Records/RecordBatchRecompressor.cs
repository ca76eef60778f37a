using System.Buffers;
using System.Buffers.Binary;
using Brook.Protocol.Compression;

namespace Brook.Protocol.Records;

/// <summary>
/// Rewrites a batch's records section, keeping its header: with another codec, for a topic whose
/// <c>compression.type</c> names one, and with fewer records, for compaction. A
/// magic-2 record is encoded the same whatever the codec, so the records section is kept byte for
/// byte (offset and timestamp deltas, keys, values, headers) and only compressed anew; the header
/// is the original's (producer id, epoch, sequence, transactional flag, timestamps) with the codec
/// bits, the length and the CRC written again.
/// </summary>
public static class RecordBatchRecompressor
{
    /// <summary>
    /// Writes <paramref name="batch"/> with <paramref name="codec"/> into <paramref name="output"/>.
    /// <paramref name="records"/> is its uncompressed records section (the batch's own bytes when
    /// uncompressed, the decompressed section otherwise, or a subset of its records with
    /// <paramref name="recordsCount"/> saying how many, as compaction keeps them);
    /// <paramref name="scratch"/> holds the newly compressed section for a moment. Returns the
    /// status of the compression; nothing is written unless it is Ok.
    /// </summary>
    public static CompressionStatus Recompress(ReadOnlySpan<byte> batch, ReadOnlySpan<byte> records, CompressionType codec,
        PooledBufferWriter scratch, IBufferWriter<byte> output, int? recordsCount = null)
    {
        ArgumentNullException.ThrowIfNull(scratch);
        ArgumentNullException.ThrowIfNull(output);
        ReadOnlySpan<byte> section = records;
        if (codec != CompressionType.None)
        {
            scratch.Clear();
            CompressionStatus status = RecordCompression.Compress(codec, records, scratch);
            if (status != CompressionStatus.Ok)
            {
                return status;
            }
            section = scratch.WrittenSpan;
        }
        int size = RecordBatchHeader.Size + section.Length;
        Span<byte> rewritten = output.GetSpan(size)[..size];
        batch[..RecordBatchHeader.Size].CopyTo(rewritten);
        BinaryPrimitives.WriteInt32BigEndian(rewritten[RecordBatchHeader.BatchLengthOffset..], size - RecordBatchHeader.LogOverhead);
        ushort attributes = BinaryPrimitives.ReadUInt16BigEndian(rewritten[RecordBatchHeader.AttributesOffset..]);
        attributes = (ushort)((attributes & ~(ushort)RecordBatchAttributes.CompressionMask) | (byte)codec);
        BinaryPrimitives.WriteUInt16BigEndian(rewritten[RecordBatchHeader.AttributesOffset..], attributes);
        if (recordsCount is { } count)
        {
            BinaryPrimitives.WriteInt32BigEndian(rewritten[RecordBatchHeader.RecordsCountOffset..], count);
        }
        section.CopyTo(rewritten[RecordBatchHeader.Size..]);
        RecordBatchHeader.WriteCrc(rewritten);
        output.Advance(size);
        return CompressionStatus.Ok;
    }
}
