using Brook.Protocol.Compression;
using Brook.Protocol.Records;
using Record = Brook.Protocol.Records.Record;

namespace Brook.Protocol.Tests.Records;

/// <summary>The hot paths allocate nothing per record (and, once warm, nothing per batch except gzip's stream objects).</summary>
public class AllocationTests
{
    [Theory]
    [InlineData(CompressionType.None)]
    [InlineData(CompressionType.Snappy)]
    [InlineData(CompressionType.Lz4)]
    [InlineData(CompressionType.Zstd)]
    public void Decompressing_and_enumerating_a_warm_batch_allocates_nothing(CompressionType codec)
    {
        byte[] batch = TestBatches.Build(200, new RecordBatchOptions { Compression = codec });
        using var scratch = new PooledBufferWriter(64 * 1024);
        Enumerate(batch, scratch);

        long before = GC.GetAllocatedBytesForCurrentThread();
        int count = Enumerate(batch, scratch);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(200, count);
        Assert.Equal(0, allocated);
    }

    [Theory]
    [InlineData(CompressionType.None)]
    [InlineData(CompressionType.Zstd)]
    public void Building_a_warm_batch_allocates_nothing(CompressionType codec)
    {
        var options = new RecordBatchOptions { Compression = codec };
        using var builder = new RecordBatchBuilder(options);
        using var output = new PooledBufferWriter(64 * 1024);
        RecordHeaderData[] headers = [new("trace"u8.ToArray(), "abc"u8.ToArray())];
        Build(builder, options, output, headers);

        long before = GC.GetAllocatedBytesForCurrentThread();
        Build(builder, options, output, headers);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(RecordBatchError.None, RecordBatchValidator.Validate(output.WrittenSpan));
        Assert.Equal(0, allocated);
    }

    private static void Build(RecordBatchBuilder builder, RecordBatchOptions options, PooledBufferWriter output, RecordHeaderData[] headers)
    {
        builder.Reset(options);
        output.Clear();
        for (int i = 0; i < 200; i++)
        {
            builder.Append(1000 + i, "some key"u8, "some value, a little longer than the key"u8, headers);
        }
        builder.WriteTo(output);
    }

    private static int Enumerate(byte[] bytes, PooledBufferWriter scratch)
    {
        RecordBatch.TryRead(bytes, out RecordBatch batch);
        int count = 0;
        foreach (Record record in batch.GetRecords(scratch, 1 << 20))
        {
            foreach (RecordHeader header in record.Headers)
            {
                count += header.Key.Length > 0 ? 0 : 1;
            }
            count++;
        }
        return count;
    }
}
