using System.Buffers.Binary;
using Brook.Protocol.Compression;
using Brook.Protocol.Records;

namespace Brook.Protocol.Tests.Records;

/// <summary>Malformed batches give a typed error: never an exception, never an allocation sized by a length they claim.</summary>
public class HostileBatchTests
{
    public static TheoryData<CompressionType> Codecs => new(Enum.GetValues<CompressionType>());

    [Theory]
    [MemberData(nameof(Codecs))]
    public void Batch_truncated_at_every_byte_is_rejected(CompressionType codec)
    {
        byte[] batch = TestBatches.Build(4, new RecordBatchOptions { Compression = codec });

        for (int length = 0; length < batch.Length; length++)
        {
            Assert.NotEqual(RecordBatchError.None, RecordBatchValidator.Validate(batch.AsSpan(0, length)));
            Assert.NotEqual(RecordBatchError.None, RecordBatch.TryRead(batch.AsSpan(0, length), out _));
        }
    }

    [Theory]
    [MemberData(nameof(Codecs))]
    public void Records_section_cut_short_under_a_consistent_header_is_rejected(CompressionType codec)
    {
        byte[] batch = TestBatches.Build(4, new RecordBatchOptions { Compression = codec });
        using var scratch = new PooledBufferWriter();

        for (int cut = 0; cut < batch.Length - RecordBatchHeader.Size; cut++)
        {
            byte[] shorter = TestBatches.WithRecordsSection(batch.AsSpan(RecordBatchHeader.Size, cut), 4, 3, template: batch);
            RecordBatchError error = RecordBatchValidator.Validate(shorter);
            if (error == RecordBatchError.None)
            {
                error = RecordBatchValidator.ValidateCompressedRecords(shorter, scratch, 1 << 20);
            }
            Assert.NotEqual(RecordBatchError.None, error);
        }
    }

    [Fact]
    public void Any_changed_byte_under_the_crc_is_detected()
    {
        byte[] batch = TestBatches.Build(2);

        for (int i = RecordBatchHeader.CrcCoverageStart; i < batch.Length; i++)
        {
            byte[] copy = (byte[])batch.Clone();
            copy[i] ^= 0x20;
            Assert.Equal(RecordBatchError.CrcMismatch, RecordBatchValidator.Validate(copy));
        }
    }

    [Fact]
    public void Wrong_crc_field_is_detected()
    {
        byte[] batch = TestBatches.Build(2);
        batch[RecordBatchHeader.CrcOffset + 3] ^= 1;

        Assert.Equal(RecordBatchError.CrcMismatch, RecordBatchValidator.Validate(batch));
    }

    [Fact]
    public void Batch_length_disagreeing_with_the_bytes_is_a_length_mismatch()
    {
        byte[] batch = TestBatches.Build(2);
        byte[] longer = [.. batch, 0];

        Assert.Equal(RecordBatchError.LengthMismatch, RecordBatchValidator.Validate(longer));
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(RecordBatchHeader.BatchLengthOffset), int.MaxValue);
        Assert.Equal(RecordBatchError.LengthMismatch, RecordBatchValidator.Validate(batch));
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(RecordBatchHeader.BatchLengthOffset), -5);
        Assert.Equal(RecordBatchError.LengthMismatch, RecordBatchValidator.Validate(batch));
    }

    [Fact]
    public void Magic_other_than_two_is_unsupported()
    {
        byte[] batch = TestBatches.Build(1);
        batch[RecordBatchHeader.MagicOffset] = 1;

        Assert.Equal(RecordBatchError.UnsupportedMagic, RecordBatchValidator.Validate(batch));
        Assert.Equal(RecordBatchError.UnsupportedMagic, RecordBatch.TryRead(batch, out _));
    }

    [Theory]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    public void Undefined_codec_is_rejected(short codec)
    {
        byte[] batch = TestBatches.Build(1);
        BinaryPrimitives.WriteInt16BigEndian(batch.AsSpan(RecordBatchHeader.AttributesOffset), codec);
        RecordBatchHeader.WriteCrc(batch);

        Assert.Equal(RecordBatchError.UnknownCompression, RecordBatchValidator.Validate(batch));
        Assert.Equal(RecordBatchError.None, RecordBatch.TryRead(batch, out RecordBatch view));
        using var scratch = new PooledBufferWriter();
        Assert.Equal(RecordBatchError.UnknownCompression, view.DecompressRecords(scratch, 1000));
    }

    [Theory]
    [InlineData(-1, 0, RecordBatchError.InvalidRecordCount)]
    [InlineData(0, 0, RecordBatchError.InvalidRecordCount)]
    [InlineData(1, 1, RecordBatchError.InvalidLastOffsetDelta)]
    [InlineData(2, 1, RecordBatchError.RecordCountMismatch)]
    [InlineData(int.MaxValue, int.MaxValue - 1, RecordBatchError.RecordCountMismatch)]
    public void Record_count_and_last_offset_delta_must_fit_the_records(int count, int lastOffsetDelta, RecordBatchError expected)
    {
        byte[] batch = TestBatches.WithRecordsSection(TestBatches.RawRecord(), count, lastOffsetDelta);

        Assert.Equal(expected, RecordBatchValidator.Validate(batch));
    }

    [Fact]
    public void Offset_deltas_from_a_client_must_run_zero_to_n_minus_one()
    {
        byte[] section = [.. TestBatches.RawRecord(offsetDelta: 0), .. TestBatches.RawRecord(offsetDelta: 2)];
        byte[] batch = TestBatches.WithRecordsSection(section, 2, 1);

        Assert.Equal(RecordBatchError.InvalidOffsetDelta, RecordBatchValidator.Validate(batch));
    }

    [Fact]
    public void Offset_deltas_in_a_log_may_not_decrease_or_pass_the_last_offset_delta()
    {
        byte[] decreasing = [.. TestBatches.RawRecord(offsetDelta: 3), .. TestBatches.RawRecord(offsetDelta: 1)];
        byte[] beyond = [.. TestBatches.RawRecord(offsetDelta: 0), .. TestBatches.RawRecord(offsetDelta: 9)];

        Assert.Equal(RecordBatchError.InvalidOffsetDelta, RecordBatchValidator.Validate(TestBatches.WithRecordsSection(decreasing, 2, 5), RecordBatchOrigin.Log));
        Assert.Equal(RecordBatchError.InvalidOffsetDelta, RecordBatchValidator.Validate(TestBatches.WithRecordsSection(beyond, 2, 5), RecordBatchOrigin.Log));
    }

    public static TheoryData<string, byte[], RecordBatchError> MalformedRecords => new()
    {
        { "over-long length varint", [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01], RecordBatchError.InvalidVarint },
        { "length varint cut off", [0x80], RecordBatchError.InvalidVarint },
        { "length larger than the section", TestBatches.RawRecord(lengthOverride: 1 << 30), RecordBatchError.RecordLengthMismatch },
        { "length longer than the fields", [.. TestBatches.RawRecord(lengthOverride: 10), 0], RecordBatchError.RecordLengthMismatch },
        { "length shorter than the fields", TrimmedToLength(TestBatches.RawRecord(), -1), RecordBatchError.RecordLengthMismatch },
        { "negative length", TestBatches.RawRecord(lengthOverride: -3), RecordBatchError.RecordLengthMismatch },
        { "key longer than the record", TestBatches.RawRecord(keyLength: 1_000_000, lengthOverride: 10), RecordBatchError.InvalidFieldLength },
        { "key length below -1", TestBatches.RawRecord(keyLength: -2), RecordBatchError.InvalidFieldLength },
        { "value longer than the record", TestBatches.RawRecord(valueLength: int.MaxValue, lengthOverride: 11), RecordBatchError.InvalidFieldLength },
        { "negative header count", TestBatches.RawRecord(headerCount: -1), RecordBatchError.InvalidFieldLength },
        { "huge header count", TestBatches.RawRecord(headerCount: int.MaxValue), RecordBatchError.InvalidFieldLength },
        { "null header key", TestBatches.RawRecord(headerCount: 1, extra: [0x01, 0x00]), RecordBatchError.InvalidFieldLength },
        { "header value past the record", TestBatches.RawRecord(headerCount: 1, extra: [0x02, 0x41, 0x20]), RecordBatchError.InvalidFieldLength },
        { "header cut off", TestBatches.RawRecord(headerCount: 1, extra: [0x02, 0x41]), RecordBatchError.RecordLengthMismatch },
        { "bytes after the last record", [.. TestBatches.RawRecord(), 0x00], RecordBatchError.TrailingBytes },
    };

    [Theory]
    [MemberData(nameof(MalformedRecords))]
    public void Malformed_record_gives_its_typed_error(string fault, byte[] section, RecordBatchError expected)
    {
        byte[] batch = TestBatches.WithRecordsSection(section, 1, 0);

        Assert.True(expected == RecordBatchValidator.Validate(batch), fault);
        Assert.Equal(RecordBatchError.None, RecordBatch.TryRead(batch, out RecordBatch view));
        RecordEnumerator records = view.GetRecords();
        while (records.MoveNext())
        {
        }
        Assert.Equal(expected, records.Error);
    }

    [Fact]
    public void Validating_an_uncompressed_batch_allocates_nothing_even_when_it_claims_huge_counts()
    {
        byte[] good = TestBatches.Build(50);
        byte[] hostile = TestBatches.WithRecordsSection(TestBatches.RawRecord(keyLength: 1_000_000, lengthOverride: 10), int.MaxValue, int.MaxValue - 1);
        RecordBatchValidator.Validate(good);

        long before = GC.GetAllocatedBytesForCurrentThread();
        RecordBatchError goodResult = RecordBatchValidator.Validate(good);
        RecordBatchError hostileResult = RecordBatchValidator.Validate(hostile);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(RecordBatchError.None, goodResult);
        Assert.NotEqual(RecordBatchError.None, hostileResult);
        Assert.Equal(0, allocated);
    }

    [Theory]
    [InlineData(CompressionType.Gzip)]
    [InlineData(CompressionType.Snappy)]
    [InlineData(CompressionType.Lz4)]
    [InlineData(CompressionType.Zstd)]
    public void Decompression_bomb_stops_at_the_configured_maximum(CompressionType codec)
    {
        const int maxBytes = 1 << 20;
        using var builder = new RecordBatchBuilder(new RecordBatchOptions { Compression = codec }, initialCapacity: 17 << 20);
        builder.Append(1, "k"u8, new byte[16 << 20]);
        byte[] bomb = TestBatches.Write(builder);
        Assert.True(bomb.Length < 1 << 20, $"the bomb should be small, is {bomb.Length}");
        Assert.Equal(RecordBatchError.None, RecordBatchValidator.Validate(bomb));
        using var scratch = new PooledBufferWriter();

        long before = GC.GetAllocatedBytesForCurrentThread();
        RecordBatchError error = RecordBatchValidator.ValidateCompressedRecords(bomb, scratch, maxBytes);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(RecordBatchError.DecompressedTooLarge, error);
        Assert.InRange(scratch.WrittenCount, 0, maxBytes + 1);
        Assert.InRange(allocated, 0, 4L * maxBytes);
    }

    [Fact]
    public void Snappy_block_claiming_gigabytes_is_refused_before_any_allocation()
    {
        // A raw snappy block whose length preamble claims 4 GiB - 1, followed by junk.
        byte[] section = [0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x00, 0x41];
        byte[] batch = TestBatches.WithRecordsSection(section, 1, 0, template: TestBatches.Build(1, new RecordBatchOptions { Compression = CompressionType.Snappy }));
        using var scratch = new PooledBufferWriter(256);

        long before = GC.GetAllocatedBytesForCurrentThread();
        RecordBatchError error = RecordBatchValidator.ValidateCompressedRecords(batch, scratch, 1 << 20);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(RecordBatchError.DecompressedTooLarge, error);
        Assert.InRange(allocated, 0, 64 * 1024);
    }

    [Theory]
    [InlineData(CompressionType.Gzip)]
    [InlineData(CompressionType.Snappy)]
    [InlineData(CompressionType.Lz4)]
    [InlineData(CompressionType.Zstd)]
    public void Garbage_in_a_compressed_section_is_corrupt_data(CompressionType codec)
    {
        byte[] template = TestBatches.Build(1, new RecordBatchOptions { Compression = codec });
        byte[] garbage = [.. Enumerable.Range(0, 200).Select(i => (byte)(i * 37 + 11))];
        byte[] batch = TestBatches.WithRecordsSection(garbage, 1, 0, template);
        using var scratch = new PooledBufferWriter();

        Assert.Equal(RecordBatchError.None, RecordBatchValidator.Validate(batch));
        Assert.Equal(RecordBatchError.CorruptCompressedData, RecordBatchValidator.ValidateCompressedRecords(batch, scratch, 1 << 20));
    }

    [Fact]
    public void Enumerating_a_bomb_reports_the_limit_and_yields_nothing()
    {
        using var builder = new RecordBatchBuilder(new RecordBatchOptions { Compression = CompressionType.Zstd });
        builder.Append(1, "k"u8, new byte[4 << 20]);
        byte[] bomb = TestBatches.Write(builder);
        Assert.Equal(RecordBatchError.None, RecordBatch.TryRead(bomb, out RecordBatch batch));
        using var scratch = new PooledBufferWriter();

        RecordEnumerator records = batch.GetRecords(scratch, 1 << 20);

        Assert.False(records.MoveNext());
        Assert.Equal(RecordBatchError.DecompressedTooLarge, records.Error);
    }

    [Theory]
    [MemberData(nameof(Codecs))]
    public void Randomly_mutated_batches_never_throw(CompressionType codec)
    {
        var random = new Random(20261121 + (int)codec);
        byte[] original = TestBatches.Build(5, new RecordBatchOptions { Compression = codec });
        using var scratch = new PooledBufferWriter();

        for (int round = 0; round < 1500; round++)
        {
            byte[] section = original[RecordBatchHeader.Size..];
            int flips = random.Next(1, 4);
            for (int i = 0; i < flips; i++)
            {
                section[random.Next(section.Length)] = (byte)random.Next(256);
            }
            byte[] mutated = TestBatches.WithRecordsSection(section, 5, 4, original);

            RecordBatchError shallow = RecordBatchValidator.Validate(mutated);
            RecordBatchError deep = RecordBatchValidator.ValidateCompressedRecords(mutated, scratch, 1 << 16);

            Assert.True(Enum.IsDefined(shallow) && Enum.IsDefined(deep));
        }
    }

    private static byte[] TrimmedToLength(byte[] record, int delta)
    {
        // Rewrites the (single-byte) length varint so it claims delta bytes fewer than the body has.
        int bodyLength = record.Length - 1;
        var bytes = new List<byte>();
        TestBatches.AddVarint(bytes, bodyLength + delta);
        return [.. bytes, .. record[1..]];
    }
}
