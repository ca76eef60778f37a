using Brook.Protocol.Compression;
using Brook.Protocol.Records;

namespace Brook.Protocol.Tests.Records;

public sealed class RecordBatchRecompressorTests
{
    [Theory]
    [InlineData(CompressionType.None, CompressionType.Gzip)]
    [InlineData(CompressionType.Zstd, CompressionType.None)]
    [InlineData(CompressionType.Snappy, CompressionType.Lz4)]
    public void The_rewrite_keeps_the_header_and_the_records_and_changes_only_the_codec(CompressionType from, CompressionType to)
    {
        byte[] original = TestBatches.Build(5, new RecordBatchOptions
        {
            ProducerId = 42, ProducerEpoch = 3, BaseSequence = 7, IsTransactional = true, PartitionLeaderEpoch = 9, Compression = from,
        });
        using var records = new PooledBufferWriter();
        Assert.Equal(RecordBatchError.None, RecordBatchValidator.Validate(original));
        ReadOnlySpan<byte> section = from == CompressionType.None
            ? original.AsSpan(RecordBatchHeader.Size)
            : Decompressed(original, records);
        using var scratch = new PooledBufferWriter();
        using var output = new PooledBufferWriter();

        Assert.Equal(CompressionStatus.Ok, RecordBatchRecompressor.Recompress(original, section, to, scratch, output));

        byte[] rewritten = output.WrittenSpan.ToArray();
        Assert.Equal(RecordBatchError.None, RecordBatchValidator.Validate(rewritten));
        var before = new RecordBatchHeader(original);
        var after = new RecordBatchHeader(rewritten);
        Assert.Equal(to, after.Compression);
        Assert.Equal(
            (before.ProducerId, before.ProducerEpoch, before.BaseSequence, before.IsTransactional, before.PartitionLeaderEpoch, before.BaseTimestamp, before.MaxTimestamp, before.RecordsCount, before.LastOffsetDelta),
            (after.ProducerId, after.ProducerEpoch, after.BaseSequence, after.IsTransactional, after.PartitionLeaderEpoch, after.BaseTimestamp, after.MaxTimestamp, after.RecordsCount, after.LastOffsetDelta));
        using var again = new PooledBufferWriter();
        ReadOnlySpan<byte> rewrittenSection = to == CompressionType.None ? rewritten.AsSpan(RecordBatchHeader.Size) : Decompressed(rewritten, again);
        Assert.True(section.SequenceEqual(rewrittenSection));
    }

    private static ReadOnlySpan<byte> Decompressed(byte[] batch, PooledBufferWriter into)
    {
        Assert.Equal(RecordBatchError.None, RecordBatchValidator.ValidateCompressedRecords(batch, into, 1 << 20));
        return into.WrittenSpan;
    }
}
