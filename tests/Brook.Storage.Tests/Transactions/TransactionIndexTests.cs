using System.Buffers.Binary;
using Brook.Storage.Tests.Support;
using Brook.Storage.Transactions;

namespace Brook.Storage.Tests.Transactions;

public sealed class TransactionIndexTests
{
    [Fact]
    public void An_entry_is_34_bytes_in_kafkas_layout()
    {
        var bytes = new byte[AbortedTransaction.Size];
        new AbortedTransaction(7, 100, 150, 120).WriteTo(bytes);

        Assert.Equal(34, AbortedTransaction.Size);
        Assert.Equal(0, BinaryPrimitives.ReadInt16BigEndian(bytes));
        Assert.Equal(7, BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(2)));
        Assert.Equal(100, BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(10)));
        Assert.Equal(150, BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(18)));
        Assert.Equal(120, BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(26)));
        Assert.True(AbortedTransaction.TryRead(bytes, out var read));
        Assert.Equal(new AbortedTransaction(7, 100, 150, 120), read);
    }

    [Fact]
    public void An_abort_marker_indexes_the_transaction_in_the_markers_segment_and_a_commit_does_not()
    {
        using var scenario = LogScenario.Start()
            .Append(TxnBatches.Data(1))          // 0
            .Append(TxnBatches.Data(2))          // 1
            .Append(TxnBatches.Marker(1, commit: true))  // 2
            .Append(TxnBatches.Data(2))          // 3
            .Append(TxnBatches.Marker(2, commit: false)); // 4

        var aborted = Collect(scenario.Log, 0, long.MaxValue);

        Assert.Equal([new AbortedTransaction(2, 1, 4, 5)], aborted);
        Assert.Equal(34, new FileInfo(Path.Combine(scenario.Directory, "00000000000000000000.txnindex")).Length);
        Assert.Empty(scenario.Log.OpenTransactionsSnapshot());
    }

    [Fact]
    public void A_lookup_returns_only_transactions_overlapping_the_range()
    {
        using var scenario = LogScenario.Start()
            .Append(TxnBatches.Data(1))                   // 0
            .Append(TxnBatches.Marker(1, commit: false))  // 1: aborted [0, 1]
            .Append(TxnBatches.Data(2))                   // 2
            .Append(TxnBatches.Data(2))                   // 3
            .Append(TxnBatches.Marker(2, commit: false))  // 4: aborted [2, 4]
            .Append(TxnBatches.Data(3))                   // 5
            .Append(TxnBatches.Marker(3, commit: false)); // 6: aborted [5, 6]

        Assert.Equal([2L], Collect(scenario.Log, 2, 5).Select(a => a.ProducerId));
        Assert.Equal([1L, 2L], Collect(scenario.Log, 0, 3).Select(a => a.ProducerId));
        Assert.Equal([2L, 3L], Collect(scenario.Log, 4, 7).Select(a => a.ProducerId));
        Assert.Empty(Collect(scenario.Log, 7, 10));
    }

    [Fact]
    public void A_transaction_whose_abort_lies_in_a_later_segment_is_found_from_an_earlier_fetch_offset()
    {
        using var scenario = LogScenario.Start()
            .Append(TxnBatches.Data(1))   // 0
            .Append(TxnBatches.Data(5, transactional: false)) // 1
            .Roll()
            .Append(TxnBatches.Data(1))   // 2
            .Roll()
            .Append(TxnBatches.Marker(1, commit: false)); // 3

        Assert.Equal([new AbortedTransaction(1, 0, 3, 4)], Collect(scenario.Log, 1, 2));
        Assert.Empty(Directory.GetFiles(scenario.Directory, "00000000000000000000.txnindex"));
    }

    [Fact]
    public void Truncation_drops_entries_whose_marker_was_cut_and_reopens_their_transaction()
    {
        using var scenario = LogScenario.Start()
            .Append(TxnBatches.Data(1))                   // 0
            .Append(TxnBatches.Marker(1, commit: false))  // 1
            .Append(TxnBatches.Data(2))                   // 2
            .Append(TxnBatches.Marker(2, commit: false)); // 3

        scenario.Log.TruncateTo(3);

        Assert.Equal([1L], Collect(scenario.Log, 0, long.MaxValue).Select(a => a.ProducerId));
        Assert.Equal(new Dictionary<long, long> { [2] = 2 }, scenario.Log.OpenTransactionsSnapshot());
    }

    [Fact]
    public void Retention_deletes_the_index_with_its_segment()
    {
        using var scenario = LogScenario.Start()
            .Append(TxnBatches.Data(1))
            .Append(TxnBatches.Marker(1, commit: false))
            .Roll()
            .Append(TxnBatches.Data(2, transactional: false));
        string index = Path.Combine(scenario.Directory, "00000000000000000000.txnindex");
        Assert.True(File.Exists(index));

        var (error, _) = scenario.Log.DeleteRecords(2);

        Assert.Equal(StorageErrorCode.None, error);
        Assert.False(File.Exists(index));
        Assert.Empty(Collect(scenario.Log, 2, long.MaxValue));
    }

    [Fact]
    public void A_torn_index_is_rebuilt_from_the_segment_after_a_crash()
    {
        using var scenario = LogScenario.Start()
            .Append(TxnBatches.Data(1))
            .Append(TxnBatches.Data(2))
            .Append(TxnBatches.Marker(1, commit: false))
            .Append(TxnBatches.Marker(2, commit: false))
            .Flush()
            .Crash();
        string index = Path.Combine(scenario.Directory, "00000000000000000000.txnindex");
        using (var file = File.OpenWrite(index))
        {
            file.SetLength(AbortedTransaction.Size + 10); // the second entry half written
        }

        scenario.Reopen();

        Assert.Equal([new AbortedTransaction(1, 0, 2, 1), new AbortedTransaction(2, 1, 3, 4)], Collect(scenario.Log, 0, long.MaxValue));
    }

    [Fact]
    public void A_missing_index_of_a_trusted_segment_is_rebuilt_too_when_the_crash_scan_reaches_it()
    {
        using var scenario = LogScenario.Start()
            .Append(TxnBatches.Data(1))
            .Append(TxnBatches.Marker(1, commit: false))
            .Crash();
        File.Delete(Path.Combine(scenario.Directory, "00000000000000000000.txnindex"));

        scenario.Reopen();

        Assert.Equal([new AbortedTransaction(1, 0, 1, 2)], Collect(scenario.Log, 0, long.MaxValue));
    }

    [Fact]
    public void Open_transactions_survive_a_clean_restart_and_a_crash_even_across_segments()
    {
        using var scenario = LogScenario.Start()
            .Append(TxnBatches.Data(1))                    // 0, stays open
            .Append(TxnBatches.Data(2))                    // 1
            .Roll()
            .Append(TxnBatches.Data(3, transactional: false)) // 2
            .Append(TxnBatches.Marker(2, commit: true))    // 3
            .Append(TxnBatches.Data(4));                   // 4, stays open

        scenario.Restart();
        Assert.Equal(new Dictionary<long, long> { [1] = 0, [4] = 4 }, scenario.Log.OpenTransactionsSnapshot());

        scenario.Append(TxnBatches.Marker(1, commit: false)).Crash().Reopen(); // 5
        Assert.Equal(new Dictionary<long, long> { [4] = 4 }, scenario.Log.OpenTransactionsSnapshot());
        Assert.Equal([new AbortedTransaction(1, 0, 5, 4)], Collect(scenario.Log, 0, long.MaxValue));
    }

    [Fact]
    public void Compaction_drops_the_aborted_data_and_keeps_the_index_usable()
    {
        using var scenario = LogScenario.Start(LogConfig.Default.WithCleanupPolicy("compact"))
            .Append(TxnBatches.Data(1))                   // 0
            .Append(TxnBatches.Marker(1, commit: false))  // 1
            .Append(TxnBatches.Data(2, transactional: false)) // 2
            .Roll()
            .Append(TxnBatches.Data(3, transactional: false));
        scenario.Log.UpdateHighWatermark(scenario.Log.LogEndOffset);

        scenario.Compact();

        Assert.DoesNotContain(0L, scenario.ReadAll().Select(r => r.Offset));
        Assert.Equal([new AbortedTransaction(1, 0, 1, 2)], Collect(scenario.Log, 0, long.MaxValue));
        scenario.Restart();
        Assert.Equal([new AbortedTransaction(1, 0, 1, 2)], Collect(scenario.Log, 0, long.MaxValue));
    }

    [Fact]
    public void A_torn_or_damaged_tail_is_cut_back_to_whole_entries()
    {
        using var directory = new TempDirectory();
        string path = directory.Sub("00000000000000000000.txnindex");
        using (var index = new TransactionIndex(path))
        {
            index.Append(new AbortedTransaction(1, 0, 1, 2));
            index.Append(new AbortedTransaction(2, 3, 4, 5));
        }
        using (var file = File.OpenWrite(path))
        {
            file.SetLength(2 * AbortedTransaction.Size + 10);
        }
        using (var index = new TransactionIndex(path))
        {
            Assert.True(index.CutTornTail());
            Assert.Equal(2, index.Count);
            Assert.False(index.CutTornTail());
        }
        using (var file = File.OpenWrite(path))
        {
            file.Position = AbortedTransaction.Size;
            file.Write([0x7f, 0x7f]); // the second entry's version is garbage
        }
        using (var reopened = new TransactionIndex(path))
        {
            Assert.True(reopened.CutTornTail());
            var found = new List<AbortedTransaction>();
            reopened.Collect(0, long.MaxValue, found);
            Assert.Equal([new AbortedTransaction(1, 0, 1, 2)], found);
        }
    }

    [Fact]
    public void A_crash_scan_of_the_newest_segment_takes_older_open_transactions_from_the_roll_point()
    {
        using var scenario = LogScenario.Start()
            .Append(TxnBatches.Data(1))                       // 0: opens, stays open across the roll
            .Append(TxnBatches.Data(2, transactional: false)) // 1
            .Roll()                                           // point at 2: {1 → 0}
            .Append(TxnBatches.Data(3, transactional: false)) // 2
            .Flush();
        scenario.Log.Checkpoint(); // recovery point 3: the crash scan starts at segment 2
        scenario.Append(TxnBatches.Data(1))                   // 3: same transaction
            .Append(TxnBatches.Marker(1, commit: false))      // 4
            .Append(TxnBatches.Data(4))                       // 5: opens
            .Flush()
            .Crash()
            .Reopen();

        Assert.Equal([new AbortedTransaction(1, 0, 4, 5)], Collect(scenario.Log, 0, long.MaxValue));
        Assert.Equal(new Dictionary<long, long> { [4] = 5 }, scenario.Log.OpenTransactionsSnapshot());
    }

    [Fact]
    public void A_log_without_transactions_writes_no_transaction_files()
    {
        using var scenario = LogScenario.Start(LogConfig.Default with { SegmentBytes = 512 }).AppendMany(20).Restart();

        Assert.Empty(Directory.GetFiles(scenario.Directory, "*.txnindex"));
        Assert.False(File.Exists(Path.Combine(scenario.Directory, "transaction-state")));
    }

    private static List<AbortedTransaction> Collect(PartitionLog log, long from, long upper)
    {
        var list = new List<AbortedTransaction>();
        log.CollectAbortedTransactions(from, upper, list);
        return list;
    }
}
