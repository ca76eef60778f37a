using System.Text;
using Brook.Protocol.Compression;
using Brook.Protocol.Records;
using Brook.Storage.Tests.Support;

namespace Brook.Storage.Tests;

public sealed class CompressedCompactionTests
{
    private static readonly LogConfig Compacted = LogConfig.Default.WithCleanupPolicy("compact");

    [Theory]
    [InlineData(CompressionType.Gzip)]
    [InlineData(CompressionType.Snappy)]
    [InlineData(CompressionType.Lz4)]
    [InlineData(CompressionType.Zstd)]
    public void A_compressed_batch_keeps_only_its_latest_records_in_the_same_codec_with_the_same_offsets(CompressionType codec)
    {
        using var scenario = LogScenario.Start(Compacted);
        scenario.Append(Compressed(codec, ("k1", "a"), ("k2", "b"), ("k3", "c"), ("k4", "d")))
            .AppendKeyed(("k1", "e"), ("k4", "f"))
            .Roll().AppendKeyed(("tail", "x"))
            .Compact();

        byte[] first = ReadBatchAt(scenario.Log, 0);
        var header = new RecordBatchHeader(first);
        Assert.Equal(RecordBatchError.None, RecordBatchValidator.Validate(first, RecordBatchOrigin.Log));
        Assert.Equal(codec, header.Compression);
        Assert.Equal(0, header.BaseOffset);
        Assert.Equal(3, header.LastOffsetDelta);
        Assert.Equal(2, header.RecordsCount);
        Assert.Equal(42, header.ProducerId);
        Assert.Equal(3, header.ProducerEpoch);
        Assert.Equal(10, header.BaseSequence);
        Assert.Equal(["k2=b@1", "k3=c@2"], Decode(first));
        scenario.ExpectLogEnd(7);
    }

    [Fact]
    public void A_compressed_batch_whose_records_are_all_superseded_is_removed()
    {
        using var scenario = LogScenario.Start(Compacted);
        scenario.Append(Compressed(CompressionType.Gzip, ("k1", "a"), ("k2", "b")))
            .AppendKeyed(("k1", "c"), ("k2", "d"))
            .Roll().AppendKeyed(("tail", "x"))
            .Compact();

        Assert.Equal(["k1=c@2", "k2=d@3"], Decode(ReadBatchAt(scenario.Log, 0)));
        scenario.ExpectLogEnd(5);
    }

    private static byte[] Compressed(CompressionType codec, params (string Key, string Value)[] records)
    {
        using var builder = new RecordBatchBuilder(new RecordBatchOptions
        {
            Compression = codec,
            ProducerId = 42,
            ProducerEpoch = 3,
            BaseSequence = 10,
        });
        foreach (var (key, value) in records)
        {
            builder.Append(1_000, Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(value));
        }
        using var output = new PooledBufferWriter();
        builder.WriteTo(output);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>The first whole batch the normal read path returns from <paramref name="offset"/>.</summary>
    private static byte[] ReadBatchAt(PartitionLog log, long offset)
    {
        using var read = log.Read(offset, 64 * 1024, long.MaxValue);
        Assert.Equal(StorageErrorCode.None, read.Error);
        var buffer = new byte[64 * 1024];
        int copied = read.CopyTo(buffer);
        Assert.True(copied >= RecordBatchHeader.Size);
        return buffer.AsSpan(0, new RecordBatchHeader(buffer).TotalSize).ToArray();
    }

    private static List<string> Decode(byte[] bytes)
    {
        Assert.Equal(RecordBatchError.None, RecordBatch.TryRead(bytes, out RecordBatch batch));
        using var scratch = new PooledBufferWriter();
        var records = batch.GetRecords(scratch, 1 << 20);
        var result = new List<string>();
        while (records.MoveNext())
        {
            var record = records.Current;
            result.Add($"{Encoding.UTF8.GetString(record.Key)}={Encoding.UTF8.GetString(record.Value)}@{record.Offset(batch.Header.BaseOffset)}");
        }
        Assert.Equal(RecordBatchError.None, records.Error);
        return result;
    }
}
