using System.Globalization;
using System.Runtime.InteropServices;
using Brook.Broker.Cluster;
using Brook.Protocol.Compression;
using Brook.Protocol.Errors;
using Brook.Protocol.Records;

namespace Brook.Broker.Handlers;

/// <summary>
/// What happens to a produced batch before it is appended: the checks (FACTS §8: exactly one
/// magic-2 batch, within <c>max.message.bytes</c>, CRC and records valid, codec allowed by the
/// version; record timestamps within the topic's bounds) and, when the topic's
/// <c>compression.type</c> names another codec than the batch's, the rewrite with that codec.
/// Otherwise the batch is appended as the client sent it.
/// </summary>
internal sealed class ProducedBatch : IDisposable
{
    // Bounds the memory a compressed batch may expand to while its records are checked.
    private const int MaxDecompressedBytes = 256 * 1024 * 1024;

    // The decompressed records of the batch being checked; a rewrite's compressed section and
    // whole batch, made only when a topic asks for one.
    private readonly PooledBufferWriter _records = new(0);
    private PooledBufferWriter? _compressed;
    private PooledBufferWriter? _rewritten;

    /// <summary>Why the last batch was refused, for Produce v8+ (<c>error_message</c> and the record's index); null if not known.</summary>
    public string? ErrorMessage { get; private set; }

    public int? FailedRecordIndex { get; private set; }

    /// <summary>
    /// Checks <paramref name="records"/> for <paramref name="rules"/> at broker time
    /// <paramref name="now"/> and returns the batch to append (the request's own bytes, or its
    /// rewrite, valid until the next call), or an error.
    /// </summary>
    public ErrorCode Prepare(ReadOnlyMemory<byte>? records, TopicProduceRules rules, short version, long now, out Span<byte> batch)
    {
        batch = default;
        ErrorMessage = null;
        FailedRecordIndex = null;
        if (records is not { Length: > 0 } bytes)
        {
            return ErrorCode.InvalidRecord;
        }
        ReadOnlySpan<byte> span = bytes.Span;
        RecordBatchError error = RecordBatch.TryRead(span, out RecordBatch view);
        if (error != RecordBatchError.None || view.Bytes.Length != span.Length)
        {
            return error == RecordBatchError.TooShort || error == RecordBatchError.None ? ErrorCode.InvalidRecord : (ErrorCode)error.ToKafkaErrorCode();
        }
        if (span.Length > rules.MaxMessageBytes)
        {
            return ErrorCode.MessageTooLarge;
        }
        error = RecordBatchValidator.Validate(span, RecordBatchOrigin.Client);
        ReadOnlySpan<byte> section = span[RecordBatchHeader.Size..];
        if (error == RecordBatchError.None && view.IsCompressed)
        {
            if (view.Compression == CompressionType.Zstd && version < 7)
            {
                return ErrorCode.UnsupportedCompressionType;
            }
            error = RecordBatchValidator.ValidateCompressedRecords(span, _records, MaxDecompressedBytes, RecordBatchOrigin.Client);
            section = _records.WrittenSpan;
        }
        if (error != RecordBatchError.None)
        {
            return (ErrorCode)error.ToKafkaErrorCode();
        }
        RecordBatchHeader header = view.Header;
        // Transactional batches are idempotent too: they carry a producer id and sequences.
        if (header.IsTransactional && (header.ProducerId < 0 || header.BaseSequence < 0))
        {
            return ErrorCode.InvalidRecord;
        }
        if (rules.BoundsTimestamps && !TimestampsWithin(section, header, rules, now))
        {
            return ErrorCode.InvalidTimestamp;
        }
        batch = MemoryMarshal.AsMemory(bytes).Span;
        if (rules.Compression is { } codec && codec != header.Compression)
        {
            return Rewrite(span, section, codec, rules.MaxMessageBytes, ref batch);
        }
        return ErrorCode.None;
    }

    public void Dispose()
    {
        _records.Dispose();
        _compressed?.Dispose();
        _rewritten?.Dispose();
    }

    /// <summary>Kafka's rule for CreateTime topics: now - before.max.ms ≤ timestamp ≤ now + after.max.ms for every record that has one.</summary>
    private bool TimestampsWithin(ReadOnlySpan<byte> section, RecordBatchHeader header, TopicProduceRules rules, long now)
    {
        var enumerator = new RecordEnumerator(section, header.RecordsCount);
        int index = 0;
        while (enumerator.MoveNext())
        {
            long timestamp = header.BaseTimestamp + enumerator.Current.TimestampDelta;
            long age = now - timestamp;
            if (timestamp != -1 && (age > rules.TimestampBeforeMaxMs || -age > rules.TimestampAfterMaxMs))
            {
                FailedRecordIndex = index;
                ErrorMessage = string.Create(CultureInfo.InvariantCulture,
                    $"Timestamp {timestamp} of message with offset {index} is out of range. The timestamp should be within [{Saturated(now, -rules.TimestampBeforeMaxMs)}, {Saturated(now, rules.TimestampAfterMaxMs)}]");
                return false;
            }
            index++;
        }
        return true;
    }

    private ErrorCode Rewrite(ReadOnlySpan<byte> original, ReadOnlySpan<byte> section, CompressionType codec, int maxMessageBytes, ref Span<byte> batch)
    {
        PooledBufferWriter rewritten = _rewritten ??= new PooledBufferWriter(original.Length);
        rewritten.Clear();
        CompressionStatus status = RecordBatchRecompressor.Recompress(original, section, codec, _compressed ??= new PooledBufferWriter(original.Length), rewritten);
        if (status != CompressionStatus.Ok)
        {
            ErrorMessage = $"The batch could not be compressed with {codec} ({status}) for the topic's compression.type";
            return ErrorCode.UnknownServerError;
        }
        if (rewritten.WrittenCount > maxMessageBytes)
        {
            return ErrorCode.MessageTooLarge;
        }
        batch = MemoryMarshal.AsMemory(rewritten.WrittenMemory).Span;
        return ErrorCode.None;
    }

    private static long Saturated(long now, long offset) =>
        offset > 0 && now > long.MaxValue - offset ? long.MaxValue
        : offset < 0 && now < long.MinValue - offset ? long.MinValue
        : now + offset;
}
