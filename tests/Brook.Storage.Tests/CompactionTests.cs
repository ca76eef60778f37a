using Brook.Storage.Tests.Support;
using Brook.Storage.Transactions;

namespace Brook.Storage.Tests;

public sealed class CompactionTests
{
    private static readonly LogConfig Compacted = LogConfig.Default.WithCleanupPolicy("compact");

    // Control record keys (version 0, type) and the attributes of transactional data and markers.
    private const string Abort = "\0\0\0\0";
    private const string Commit = "\0\0\0\u0001";
    private const Protocol.Records.RecordBatchAttributes Transactional = Protocol.Records.RecordBatchAttributes.Transactional;
    private const Protocol.Records.RecordBatchAttributes Control = Transactional | Protocol.Records.RecordBatchAttributes.Control;

    [Fact]
    public void Compaction_keeps_the_latest_value_per_key_and_never_changes_offsets()
    {
        using var scenario = LogScenario.Start(Compacted)
            .AppendKeyed(("k1", "a"), ("k2", "b"))
            .AppendKeyed(("k1", "c"))
            .Roll()
            .AppendKeyed(("k3", "d"))
            .Compact();

        var records = scenario.ReadAll();
        Assert.Equal(["k2=b@1", "k1=c@2", "k3=d@3"], records.Select(r => $"{r.Key}={r.Value}@{r.Offset}"));
        scenario.ExpectLogEnd(4);
    }

    [Fact]
    public void The_active_segment_is_not_compacted()
    {
        using var scenario = LogScenario.Start(Compacted)
            .AppendKeyed(("k", "1")).AppendKeyed(("k", "2"))
            .Compact()
            .ExpectRecords("k=1", "k=2");
    }

    [Fact]
    public void Tombstones_stay_until_delete_retention_ms_has_passed()
    {
        using var scenario = LogScenario.Start(Compacted with { DeleteRetentionMs = 60_000 });
        scenario.Append(TestBatches.Build([new TestRecord("k", "v"), new TestRecord("j", "w")], scenario.Time.NowMs))
            .Append(TestBatches.Build([new TestRecord("k", null)], scenario.Time.NowMs))
            .Roll().AppendKeyed(("z", "tail"));

        scenario.Compact().ExpectRecords("j=w", "k=<tombstone>", "z=tail");
        scenario.TimePasses(TimeSpan.FromMinutes(2)).Compact().ExpectRecords("j=w", "z=tail");
    }

    [Fact]
    public void Many_keys_over_many_segments_compact_to_one_record_each()
    {
        using var scenario = LogScenario.Start(Compacted with { SegmentBytes = 4096, DeleteRetentionMs = 0 });
        var random = new Random(42);
        var latest = new Dictionary<string, (string? Value, long Offset)>();
        for (int i = 0; i < 3000; i++)
        {
            string key = $"key-{random.Next(200)}";
            string? value = random.Next(10) == 0 ? null : $"v{i}";
            scenario.AppendKeyed((key, value));
            latest[key] = (value, scenario.Appends[^1].FirstOffset);
        }
        scenario.Roll().AppendKeyed(("end", "x"));
        scenario.TimePasses(TimeSpan.FromSeconds(1));
        long sizeBefore = scenario.Log.SizeInBytes;

        scenario.Compact();

        var records = scenario.ReadAll();
        var expected = latest.Where(e => e.Value.Value is not null).Select(e => (e.Key, e.Value.Value, e.Value.Offset)).Append(("end", "x", 3000L)).OrderBy(e => e.Item3).ToList();
        Assert.Equal(expected, records.Select(r => (r.Key!, r.Value, r.Offset)).ToList());
        Assert.True(scenario.Log.SizeInBytes < sizeBefore / 5);
        scenario.Restart();
        Assert.Equal(expected.Count, scenario.ReadAll().Count);
    }

    [Fact]
    public void Aborted_transactional_data_goes_committed_data_compacts_and_markers_stay_within_delete_retention_ms()
    {
        using var scenario = LogScenario.Start(Compacted);
        scenario.Append(TestBatches.Build([new TestRecord("a", "aborted")], scenario.Time.NowMs, attributes: Transactional, producerId: 7))
            .Append(TestBatches.Build([new TestRecord("b", "committed")], scenario.Time.NowMs, attributes: Transactional, producerId: 8))
            .Append(TestBatches.Build([new TestRecord("c", "open")], scenario.Time.NowMs, attributes: Transactional, producerId: 9))
            .Append(TestBatches.Build([new TestRecord(Abort, null)], scenario.Time.NowMs, attributes: Control, producerId: 7))
            .Append(TestBatches.Build([new TestRecord(Commit, null)], scenario.Time.NowMs, attributes: Control, producerId: 8))
            .AppendKeyed(("b", "later"))
            .AppendKeyed(("c", "later"))
            .Roll().AppendValues("tail")
            .Compact();

        var kept = scenario.ReadAll().Select(r => r.Offset).ToList();

        Assert.Equal([2L, 3, 4, 5, 6, 7], kept); // 0 aborted, 1 superseded by 5; 2 has no marker in range
    }

    [Fact]
    public void End_markers_of_transactions_with_nothing_left_go_after_delete_retention_ms_an_abort_one_pass_after_its_data()
    {
        using var scenario = LogScenario.Start(Compacted with { DeleteRetentionMs = 60_000 });
        scenario.Append(TestBatches.Build([new TestRecord("a", "aborted")], scenario.Time.NowMs, attributes: Transactional, producerId: 7))   // 0
            .Append(TestBatches.Build([new TestRecord("b", "superseded")], scenario.Time.NowMs, attributes: Transactional, producerId: 8))    // 1
            .Append(TestBatches.Build([new TestRecord("d", "kept")], scenario.Time.NowMs, attributes: Transactional, producerId: 10))         // 2
            .Append(TestBatches.Build([new TestRecord(Abort, null)], scenario.Time.NowMs, attributes: Control, producerId: 7))                // 3
            .Append(TestBatches.Build([new TestRecord(Commit, null)], scenario.Time.NowMs, attributes: Control, producerId: 8))               // 4
            .Append(TestBatches.Build([new TestRecord(Commit, null)], scenario.Time.NowMs, attributes: Control, producerId: 10))              // 5
            .Append(TestBatches.Build([new TestRecord("e", "next")], scenario.Time.NowMs, attributes: Transactional, producerId: 8))          // 6
            .Append(TestBatches.Build([new TestRecord(Commit, null)], scenario.Time.NowMs, attributes: Control, producerId: 8))               // 7
            .AppendKeyed(("b", "later"))                                                                                                        // 8
            .Roll().AppendValues("tail");                                                                                                       // 9

        scenario.Compact();
        // Within delete.retention.ms every marker stays; the aborted data (0) and the superseded record (1) go.
        Assert.Equal([2L, 3, 4, 5, 6, 7, 8, 9], scenario.ReadAll().Select(r => r.Offset));
        Assert.Equal([7L], AbortedProducers(scenario));

        scenario.TimePasses(TimeSpan.FromMinutes(2)).Compact();

        // 4 committed only "b", superseded by 8; 3 aborted data that went in the first pass: both go, and
        // 3's aborted-transactions index entry with it. 5 and 7 commit data that is still there.
        Assert.Equal([2L, 5, 6, 7, 8, 9], scenario.ReadAll().Select(r => r.Offset));
        Assert.Empty(AbortedProducers(scenario));
        scenario.Restart();
        Assert.Equal([2L, 5, 6, 7, 8, 9], scenario.ReadAll().Select(r => r.Offset));
        Assert.Empty(AbortedProducers(scenario));
    }

    [Fact]
    public void An_abort_marker_stays_in_the_pass_that_drops_its_data_even_past_delete_retention_ms()
    {
        using var scenario = LogScenario.Start(Compacted with { DeleteRetentionMs = 60_000 });
        scenario.Append(TestBatches.Build([new TestRecord("a", "aborted")], scenario.Time.NowMs, attributes: Transactional, producerId: 7))   // 0
            .Append(TestBatches.Build([new TestRecord(Abort, null)], scenario.Time.NowMs, attributes: Control, producerId: 7))                // 1
            .AppendKeyed(("z", "plain"))                                                                                                        // 2
            .Roll().AppendValues("tail");                                                                                                       // 3
        scenario.TimePasses(TimeSpan.FromMinutes(2));

        scenario.Compact();
        Assert.Equal([1L, 2, 3], scenario.ReadAll().Select(r => r.Offset));
        Assert.Equal([7L], AbortedProducers(scenario));

        scenario.Compact();
        Assert.Equal([2L, 3], scenario.ReadAll().Select(r => r.Offset));
        Assert.Empty(AbortedProducers(scenario));
    }

    private static List<long> AbortedProducers(LogScenario scenario)
    {
        var aborted = new List<AbortedTransaction>();
        scenario.Log.CollectAbortedTransactions(0, scenario.Log.LogEndOffset, aborted);
        return [.. aborted.Select(a => a.ProducerId)];
    }

    [Fact]
    public void Compaction_waits_for_the_dirty_ratio_unless_forced()
    {
        using var scenario = LogScenario.Start(Compacted with { MinCleanableDirtyRatio = 0.9 })
            .AppendKeyed(("k", "1")).AppendKeyed(("k", "2")).Roll().AppendKeyed(("x", "y"));
        Assert.Equal(1, scenario.Log.Compact().SegmentsRewritten); // everything is dirty
        scenario.AppendKeyed(("k", "3")).Roll().AppendKeyed(("x", "z"));

        Assert.Equal(0, scenario.Log.Compact().SegmentsRewritten); // two thirds dirty is below 0.9
        scenario.ExpectRecords("k=2", "x=y", "k=3", "x=z");

        Assert.True(scenario.Log.Compact(force: true).SegmentsRewritten > 0);
        scenario.ExpectRecords("x=y", "k=3", "x=z");
    }

    [Fact]
    public void Min_compaction_lag_protects_recent_segments()
    {
        using var scenario = LogScenario.Start(Compacted with { MinCompactionLagMs = 60_000 });
        scenario.Append(TestBatches.Build([new TestRecord("k", "1")], scenario.Time.NowMs))
            .Append(TestBatches.Build([new TestRecord("k", "2")], scenario.Time.NowMs))
            .Roll().AppendKeyed(("x", "y"));

        scenario.Compact().ExpectRecords("k=1", "k=2", "x=y");
        scenario.TimePasses(TimeSpan.FromMinutes(2)).Compact().ExpectRecords("k=2", "x=y");
    }

    [Fact]
    public void A_reader_holding_a_slice_keeps_reading_the_segment_compaction_replaced()
    {
        using var scenario = LogScenario.Start(Compacted)
            .AppendKeyed(("k", "1")).AppendKeyed(("k", "2")).Roll().AppendKeyed(("x", "y"));
        using var before = scenario.Log.Read(0, 4096, long.MaxValue);

        scenario.Compact().ExpectRecords("k=2", "x=y");

        var buffer = new byte[4096];
        Assert.Equal(["1", "2"], TestBatches.Parse(buffer.AsSpan(0, before.CopyTo(buffer))).Select(r => r.Value));
    }

    [Fact]
    public void A_crash_after_the_swap_but_before_the_new_indexes_recovers_the_compacted_segment()
    {
        using var scenario = LogScenario.Start(Compacted with { IndexIntervalBytes = 1 })
            .AppendKeyed(("k", "1")).AppendKeyed(("j", "1")).AppendKeyed(("k", "2")).AppendKeyed(("j", "2")).Roll().AppendKeyed(("x", "y"))
            .Compact()
            .Crash();
        File.Delete(Path.Combine(scenario.Directory, "00000000000000000000.index"));
        File.Delete(Path.Combine(scenario.Directory, "00000000000000000000.timeindex"));

        scenario.Reopen().ExpectRecords("k=2", "j=2", "x=y");

        using var read = scenario.Log.Read(3, 4096, long.MaxValue);
        var buffer = new byte[4096];
        Assert.Equal(3, TestBatches.Parse(buffer.AsSpan(0, read.CopyTo(buffer)))[0].Offset);
    }

    [Fact]
    public void Compact_and_delete_also_applies_retention()
    {
        using var scenario = LogScenario.Start(LogConfig.Default.WithCleanupPolicy("compact,delete") with { RetentionMs = 1000 })
            .AppendKeyed(("k", "1")).Roll().AppendKeyed(("k", "2"))
            .TimePasses(TimeSpan.FromHours(1))
            .RunRetention()
            .ExpectLogStart(1)
            .ExpectRecords("k=2");
    }
}
