using System.Buffers.Binary;
using System.Text;
using Brook.Protocol.Compression;
using Brook.Protocol.Records;

namespace Brook.Protocol.Tests.Compression;

public class RecordCompressionTests
{
    public static TheoryData<CompressionType, int> CodecsAndSizes()
    {
        var data = new TheoryData<CompressionType, int>();
        foreach (CompressionType codec in Enum.GetValues<CompressionType>())
        {
            foreach (int size in new[] { 0, 1, 1000, 100_000, 300_000 })
            {
                data.Add(codec, size);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(CodecsAndSizes))]
    public void Compressed_data_decompresses_to_the_original(CompressionType codec, int size)
    {
        byte[] original = Sample(size);
        using var compressed = new PooledBufferWriter();
        using var restored = new PooledBufferWriter();

        Assert.Equal(CompressionStatus.Ok, RecordCompression.Compress(codec, original, compressed));
        Assert.Equal(CompressionStatus.Ok, RecordCompression.Decompress(codec, compressed.WrittenSpan, restored, size));

        Assert.True(original.AsSpan().SequenceEqual(restored.WrittenSpan));
    }

    [Theory]
    [InlineData(CompressionType.Gzip)]
    [InlineData(CompressionType.Snappy)]
    [InlineData(CompressionType.Lz4)]
    [InlineData(CompressionType.Zstd)]
    public void Output_one_byte_over_the_maximum_is_too_large(CompressionType codec)
    {
        byte[] original = Sample(100_000);
        using var compressed = new PooledBufferWriter();
        using var restored = new PooledBufferWriter();
        RecordCompression.Compress(codec, original, compressed);

        Assert.Equal(CompressionStatus.OutputTooLarge, RecordCompression.Decompress(codec, compressed.WrittenSpan, restored, original.Length - 1));
        Assert.InRange(restored.WrittenCount, 0, original.Length);
    }

    [Fact]
    public void Snappy_output_uses_the_xerial_framing_with_32KiB_blocks()
    {
        byte[] original = Sample(70_000);
        using var compressed = new PooledBufferWriter();

        RecordCompression.Compress(CompressionType.Snappy, original, compressed);

        ReadOnlySpan<byte> bytes = compressed.WrittenSpan;
        Assert.Equal(new byte[] { 0x82, 0x53, 0x4E, 0x41, 0x50, 0x50, 0x59, 0x00 }, bytes[..8].ToArray());
        Assert.Equal(1, BinaryPrimitives.ReadInt32BigEndian(bytes[8..]));
        Assert.Equal(1, BinaryPrimitives.ReadInt32BigEndian(bytes[12..]));
        int blocks = 0;
        for (int pos = 16; pos < bytes.Length; blocks++)
        {
            pos += 4 + BinaryPrimitives.ReadInt32BigEndian(bytes[pos..]);
            Assert.InRange(pos, 0, bytes.Length);
        }
        Assert.Equal(3, blocks); // 32 KiB + 32 KiB + the rest
    }

    [Fact]
    public void Snappy_reader_also_accepts_a_bare_snappy_block()
    {
        // Snappy's block format by hand: varint length 5, then one literal of five bytes.
        byte[] block = [0x05, 0x10, .. "hello"u8];
        using var restored = new PooledBufferWriter();

        Assert.Equal(CompressionStatus.Ok, RecordCompression.Decompress(CompressionType.Snappy, block, restored, 100));

        Assert.Equal("hello", Encoding.ASCII.GetString(restored.WrittenSpan));
    }

    [Theory]
    [InlineData(CompressionType.Snappy, "libsnappy1v5")]
    [InlineData(CompressionType.Lz4, "liblz4-1")]
    [InlineData(CompressionType.Zstd, "libzstd1")]
    public void Each_native_codec_names_the_package_to_install(CompressionType codec, string package)
    {
        Assert.Contains(package, RecordCompression.InstallHint(codec), StringComparison.Ordinal);
        Assert.True(RecordCompression.IsAvailable(codec), "the native libraries are installed on this machine");
    }

    [Fact]
    public void Undefined_codec_is_reported_not_thrown()
    {
        using var output = new PooledBufferWriter();

        Assert.Equal(CompressionStatus.UnknownCodec, RecordCompression.Decompress((CompressionType)6, [1, 2, 3], output, 100));
        Assert.Equal(CompressionStatus.UnknownCodec, RecordCompression.Compress((CompressionType)6, [1, 2, 3], output));
        Assert.False(RecordCompression.IsAvailable((CompressionType)6));
        Assert.Throws<CompressionUnavailableException>(() => RecordCompression.EnsureAvailable((CompressionType)6));
    }

    [Theory]
    [InlineData(CompressionType.Gzip)]
    [InlineData(CompressionType.Snappy)]
    [InlineData(CompressionType.Lz4)]
    [InlineData(CompressionType.Zstd)]
    public void A_failed_decompression_does_not_spoil_the_next_one(CompressionType codec)
    {
        byte[] original = Sample(50_000);
        using var compressed = new PooledBufferWriter();
        RecordCompression.Compress(codec, original, compressed);
        byte[] truncated = compressed.WrittenSpan[..(compressed.WrittenCount / 2)].ToArray();
        using var output = new PooledBufferWriter();

        Assert.NotEqual(CompressionStatus.Ok, RecordCompression.Decompress(codec, truncated, output, 1 << 20));
        output.Clear();
        Assert.Equal(CompressionStatus.Ok, RecordCompression.Decompress(codec, compressed.WrittenSpan, output, 1 << 20));
        Assert.True(original.AsSpan().SequenceEqual(output.WrittenSpan));
    }

    [Theory]
    [InlineData(CompressionType.Gzip)]
    [InlineData(CompressionType.Snappy)]
    [InlineData(CompressionType.Lz4)]
    [InlineData(CompressionType.Zstd)]
    public void Compressed_stream_cut_at_any_byte_is_not_ok(CompressionType codec)
    {
        // Snappy gets two xerial blocks so that a cut between blocks is covered.
        byte[] original = Sample(codec == CompressionType.Snappy ? 40_000 : 5000);
        using var compressed = new PooledBufferWriter();
        RecordCompression.Compress(codec, original, compressed);
        using var output = new PooledBufferWriter();

        for (int cut = 1; cut < compressed.WrittenCount; cut++)
        {
            output.Clear();
            CompressionStatus status = RecordCompression.Decompress(codec, compressed.WrittenSpan[..cut], output, 1 << 20);
            if (status == CompressionStatus.Ok)
            {
                // xerial framing has no end marker: a cut between whole blocks reads as a shorter
                // stream (the batch's record count catches that), and must give a true prefix.
                Assert.Equal(CompressionType.Snappy, codec);
                Assert.True(original.AsSpan().StartsWith(output.WrittenSpan), $"cut at {cut}");
                Assert.True(output.WrittenCount % (32 * 1024) == 0, $"cut at {cut} is not between blocks");
                continue;
            }
            Assert.True(status == CompressionStatus.CorruptData, $"cut at {cut} of {compressed.WrittenCount}: {status}");
        }
    }

    /// <summary>Half compressible text, half seeded random bytes.</summary>
    private static byte[] Sample(int size)
    {
        byte[] bytes = new byte[size];
        var random = new Random(size);
        for (int i = 0; i < size; i++)
        {
            bytes[i] = i % 64 < 32 ? (byte)('a' + (i % 26)) : (byte)random.Next(256);
        }
        return bytes;
    }
}
