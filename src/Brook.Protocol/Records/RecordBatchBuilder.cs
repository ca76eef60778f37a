using System.Buffers;
using System.Buffers.Binary;
using Brook.Protocol.Compression;

namespace Brook.Protocol.Records;

/// <summary>
/// Builds one magic-2 batch: records are encoded into a pooled buffer as they are appended,
/// and <see cref="WriteTo"/> compresses that section with the chosen codec, writes the header
/// and the CRC-32C into an <see cref="IBufferWriter{T}"/>. Reusable through <see cref="Reset"/>;
/// allocates nothing per record.
/// </summary>
public sealed class RecordBatchBuilder : IDisposable
{
    private readonly PooledBufferWriter _records;
    private readonly PooledBufferWriter _compressed = new(256);
    private RecordBatchOptions _options;
    private int _count;
    private int _lastOffsetDelta;
    private long _baseTimestamp;
    private long _maxTimestamp;

    public RecordBatchBuilder(RecordBatchOptions? options = null, int initialCapacity = 16 * 1024)
    {
        _records = new PooledBufferWriter(initialCapacity);
        _options = options ?? RecordBatchOptions.Default;
        Reset(_options);
    }

    public int Count => _count;

    /// <summary>Bytes of the uncompressed records section so far.</summary>
    public int RecordsSize => _records.WrittenCount;

    /// <summary>Starts a new batch with <paramref name="options"/>, keeping the buffers.</summary>
    public void Reset(RecordBatchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _records.Clear();
        _count = 0;
        _lastOffsetDelta = -1;
        _baseTimestamp = options.DeleteHorizon ?? -1;
        _maxTimestamp = -1;
    }

    /// <summary>Appends a record with a non-null key and value at the next offset.</summary>
    public void Append(long timestamp, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ReadOnlySpan<RecordHeaderData> headers = default) =>
        Append(timestamp, key, keyIsNull: false, value, valueIsNull: false, headers);

    /// <summary>
    /// Appends a record. A null key or value is written as length -1. <paramref name="offsetDelta"/>
    /// defaults to the next offset; a compacted batch may skip deltas but must keep them increasing.
    /// </summary>
    public void Append(long timestamp, ReadOnlySpan<byte> key, bool keyIsNull, ReadOnlySpan<byte> value, bool valueIsNull,
        ReadOnlySpan<RecordHeaderData> headers = default, int? offsetDelta = null)
    {
        int delta = offsetDelta ?? _lastOffsetDelta + 1;
        if (delta <= _lastOffsetDelta)
        {
            ThrowOffsetDeltaNotIncreasing(delta, _lastOffsetDelta);
        }
        if (_count == 0 && _options.DeleteHorizon is null)
        {
            _baseTimestamp = timestamp;
        }
        long timestampDelta = timestamp - _baseTimestamp;
        int keyLength = keyIsNull ? -1 : key.Length;
        int valueLength = valueIsNull ? -1 : value.Length;

        int bodySize = 1 + ZigZagVarint.SizeOf(timestampDelta) + ZigZagVarint.SizeOf(delta)
            + ZigZagVarint.SizeOf(keyLength) + Math.Max(keyLength, 0)
            + ZigZagVarint.SizeOf(valueLength) + Math.Max(valueLength, 0)
            + ZigZagVarint.SizeOf(headers.Length);
        foreach (ref readonly RecordHeaderData header in headers)
        {
            int headerValueLength = header.ValueIsNull ? -1 : header.Value.Length;
            bodySize += ZigZagVarint.SizeOf(header.Key.Length) + header.Key.Length
                + ZigZagVarint.SizeOf(headerValueLength) + Math.Max(headerValueLength, 0);
        }

        int total = ZigZagVarint.SizeOf(bodySize) + bodySize;
        Span<byte> span = _records.GetSpan(total);
        int p = ZigZagVarint.WriteInt64(span, bodySize);
        span[p++] = 0; // record attributes: unused
        p += ZigZagVarint.WriteInt64(span[p..], timestampDelta);
        p += ZigZagVarint.WriteInt64(span[p..], delta);
        p += WriteBytes(span[p..], key, keyLength);
        p += WriteBytes(span[p..], value, valueLength);
        p += ZigZagVarint.WriteInt64(span[p..], headers.Length);
        foreach (ref readonly RecordHeaderData header in headers)
        {
            p += WriteBytes(span[p..], header.Key.Span, header.Key.Length);
            p += WriteBytes(span[p..], header.Value.Span, header.ValueIsNull ? -1 : header.Value.Length);
        }
        _records.Advance(p);

        _count++;
        _lastOffsetDelta = delta;
        _maxTimestamp = Math.Max(_maxTimestamp, timestamp);
    }

    /// <summary>
    /// Writes the batch into <paramref name="output"/> and returns its size. Throws
    /// <see cref="CompressionUnavailableException"/> when the codec's native library is missing.
    /// </summary>
    public int WriteTo(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        ReadOnlySpan<byte> section = _records.WrittenSpan;
        CompressionType codec = _options.Compression;
        if (codec != CompressionType.None)
        {
            _compressed.Clear();
            CompressionStatus status = RecordCompression.Compress(codec, section, _compressed);
            if (status != CompressionStatus.Ok)
            {
                ThrowCompressionFailed(codec, status);
            }
            section = _compressed.WrittenSpan;
        }

        int size = RecordBatchHeader.Size + section.Length;
        Span<byte> batch = output.GetSpan(size)[..size];
        BinaryPrimitives.WriteInt64BigEndian(batch[RecordBatchHeader.BaseOffsetOffset..], _options.BaseOffset);
        BinaryPrimitives.WriteInt32BigEndian(batch[RecordBatchHeader.BatchLengthOffset..], size - RecordBatchHeader.LogOverhead);
        BinaryPrimitives.WriteInt32BigEndian(batch[RecordBatchHeader.PartitionLeaderEpochOffset..], _options.PartitionLeaderEpoch);
        batch[RecordBatchHeader.MagicOffset] = RecordBatchHeader.CurrentMagic;
        BinaryPrimitives.WriteInt16BigEndian(batch[RecordBatchHeader.AttributesOffset..], (short)Attributes());
        BinaryPrimitives.WriteInt32BigEndian(batch[RecordBatchHeader.LastOffsetDeltaOffset..], _options.LastOffsetDelta ?? Math.Max(_lastOffsetDelta, 0));
        BinaryPrimitives.WriteInt64BigEndian(batch[RecordBatchHeader.BaseTimestampOffset..], _baseTimestamp);
        BinaryPrimitives.WriteInt64BigEndian(batch[RecordBatchHeader.MaxTimestampOffset..], _options.LogAppendTime ?? _maxTimestamp);
        BinaryPrimitives.WriteInt64BigEndian(batch[RecordBatchHeader.ProducerIdOffset..], _options.ProducerId);
        BinaryPrimitives.WriteInt16BigEndian(batch[RecordBatchHeader.ProducerEpochOffset..], _options.ProducerEpoch);
        BinaryPrimitives.WriteInt32BigEndian(batch[RecordBatchHeader.BaseSequenceOffset..], _options.BaseSequence);
        BinaryPrimitives.WriteInt32BigEndian(batch[RecordBatchHeader.RecordsCountOffset..], _count);
        section.CopyTo(batch[RecordBatchHeader.Size..]);
        RecordBatchHeader.WriteCrc(batch);
        output.Advance(size);
        return size;
    }

    public void Dispose()
    {
        _records.Dispose();
        _compressed.Dispose();
    }

    private RecordBatchAttributes Attributes()
    {
        var attributes = (RecordBatchAttributes)(int)_options.Compression;
        if (_options.LogAppendTime is not null)
        {
            attributes |= RecordBatchAttributes.LogAppendTime;
        }
        if (_options.IsTransactional)
        {
            attributes |= RecordBatchAttributes.Transactional;
        }
        if (_options.IsControl)
        {
            attributes |= RecordBatchAttributes.Control;
        }
        if (_options.DeleteHorizon is not null)
        {
            attributes |= RecordBatchAttributes.DeleteHorizon;
        }
        return attributes;
    }

    private static int WriteBytes(Span<byte> destination, ReadOnlySpan<byte> bytes, int length)
    {
        int p = ZigZagVarint.WriteInt64(destination, length);
        if (length > 0)
        {
            bytes.CopyTo(destination[p..]);
            p += length;
        }
        return p;
    }

    private static void ThrowOffsetDeltaNotIncreasing(int delta, int last) =>
        throw new ArgumentOutOfRangeException(nameof(delta), $"offset delta {delta} must be greater than the previous {last}");

    private static void ThrowCompressionFailed(CompressionType codec, CompressionStatus status)
    {
        if (status == CompressionStatus.CodecUnavailable)
        {
            throw new CompressionUnavailableException(codec, RecordCompression.InstallHint(codec));
        }
        throw new InvalidOperationException($"{codec} compression failed: {status}");
    }
}
