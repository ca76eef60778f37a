using BenchmarkDotNet.Attributes;
using Brook.Protocol.Primitives;
using Brook.Protocol.Records;

namespace Brook.Benchmarks.Protocol;

/// <summary>
/// The per-byte work a broker does on a produced batch: CRC-32C over 1 MiB, the full validation
/// of a 1 MiB uncompressed batch (CRC and every record), and walking its records.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ProtocolBenchmarkConfig))]
public class RecordBatchBenchmarks
{
    private byte[] _batch = [];

    [GlobalSetup]
    public void Setup() => _batch = ProtocolPayload.Batch(ProtocolPayload.TotalBytes, seed: 1);

    [Benchmark]
    public uint Crc32C_1MiB() => Crc32C.Compute(_batch);

    [Benchmark]
    public RecordBatchError Validate_1MiB_batch() => RecordBatchValidator.Validate(_batch);

    /// <summary>Reads every record's key, value and offset, as a consumer or the log index would.</summary>
    [Benchmark]
    public long Enumerate_1MiB_batch()
    {
        if (RecordBatch.TryRead(_batch, out RecordBatch batch) != RecordBatchError.None)
        {
            throw new InvalidOperationException("not a batch");
        }
        long baseOffset = batch.Header.BaseOffset;
        long sum = 0;
        RecordEnumerator records = batch.GetRecords();
        // MoveNext on the enumerator itself: foreach would walk a copy and leave Error unseen.
        while (records.MoveNext())
        {
            Record record = records.Current;
            sum += record.Offset(baseOffset) + record.Key.Length + record.Value.Length;
        }
        return records.Error == RecordBatchError.None ? sum : -1;
    }
}
