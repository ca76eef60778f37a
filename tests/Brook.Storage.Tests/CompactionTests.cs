using Brook.Storage.Tests.Support;

namespace Brook.Storage.Tests;

public sealed class CompactionTests
{
    private static readonly LogConfig Compacted = LogConfig.Default.WithCleanupPolicy("compact");

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
    public void Control_and_transactional_batches_are_kept_whole()
    {
        using var scenario = LogScenario.Start(Compacted);
        scenario.Append(TestBatches.Build([new TestRecord("k", "txn")], attributes: Protocol.Records.RecordBatchAttributes.Transactional, producerId: 9))
            .Append(TestBatches.Build([new TestRecord(null, "marker")], attributes: Protocol.Records.RecordBatchAttributes.Transactional | Protocol.Records.RecordBatchAttributes.Control, producerId: 9))
            .AppendKeyed(("k", "plain"))
            .Roll().AppendValues("tail")
            .Compact()
            .ExpectRecords("k=txn", "marker", "k=plain", "tail");
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
}
