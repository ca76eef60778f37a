using System.Buffers;
using BenchmarkDotNet.Attributes;
using Brook.Protocol.Records;
using Brook.Storage;
using Brook.Storage.Transactions;

namespace Brook.Benchmarks.Storage;

/// <summary>
/// The aborted-transactions lookup a read_committed fetch makes once per partition read: a log of
/// 16 segments with transactional data of 1 KiB records, a share of the transactions aborted, and
/// lookups over the range a 1 MiB fetch returns (one index binary search plus a short forward
/// read). Compare with "no aborts" (a field read per segment) to see what aborts cost.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class AbortedTransactionLookupBenchmarks
{
    private const int Segments = 16;
    private const int TransactionsPerSegment = 256;
    private readonly List<AbortedTransaction> _found = [];
    private PartitionLog _log = null!;
    private string _directory = "";
    private long _fetchOffset;

    /// <summary>Every how many transactions one is aborted (0: none).</summary>
    [Params(0, 10, 1)]
    public int AbortEvery { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _directory = StorageBench.NewDirectory("txn-lookup");
        _log = PartitionLog.Open(_directory, LogConfig.Default, new LogOptions());
        var output = new ArrayBufferWriter<byte>();
        byte[] value = new byte[1024];
        int transaction = 0;
        for (int segment = 0; segment < Segments; segment++)
        {
            for (int i = 0; i < TransactionsPerSegment; i++, transaction++)
            {
                long producerId = transaction % 8;
                output.Clear();
                using (var builder = new RecordBatchBuilder(new RecordBatchOptions { ProducerId = producerId, ProducerEpoch = 0, BaseSequence = 0, IsTransactional = true }))
                {
                    for (int r = 0; r < 4; r++)
                    {
                        builder.Append(1_000, [], value);
                    }
                    builder.WriteTo(output);
                }
                _log.Append(output.WrittenSpan.ToArray(), 0);
                output.Clear();
                bool abort = AbortEvery > 0 && transaction % AbortEvery == 0;
                EndTransactionMarker.WriteBatch(output, abort ? ControlRecordType.Abort : ControlRecordType.Commit, 0, producerId, 0, 1_000);
                _log.Append(output.WrittenSpan.ToArray(), 0);
            }
            _log.Roll();
        }
        _fetchOffset = _log.LogEndOffset / 2;
    }

    [Benchmark(Description = "aborted lookup, 1 MiB fetch range")]
    public int Lookup()
    {
        _found.Clear();
        // A 1 MiB fetch of 4 KiB transactions covers about 250 transactions of 5 offsets each.
        _log.CollectAbortedTransactions(_fetchOffset, _fetchOffset + 1250, _found);
        return _found.Count;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _log.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
