using Brook.Storage.Tests.Support;

namespace Brook.Storage.Tests;

public sealed class SegmentTests
{
    [Fact]
    public void A_full_segment_rolls_and_reads_cross_segments()
    {
        using var scenario = LogScenario.Start(LogConfig.Default with { SegmentBytes = 1024 })
            .AppendMany(20, recordsEach: 1, valueSize: 100);

        Assert.True(scenario.Log.SegmentCount > 2);
        scenario.ExpectOffsets(0, 20);
        Assert.Equal(scenario.Log.SegmentBaseOffsets.Order(), scenario.Log.SegmentBaseOffsets);
    }

    [Fact]
    public void Segment_files_are_named_by_their_twenty_digit_base_offset()
    {
        using var scenario = LogScenario.Start().AppendValues("a", "b").Roll().AppendValues("c");

        var names = Directory.GetFiles(scenario.Directory).Select(Path.GetFileName).Order().ToList();

        Assert.Contains("00000000000000000000.log", names);
        Assert.Contains("00000000000000000002.log", names);
        Assert.Contains("00000000000000000002.index", names);
        Assert.Contains("00000000000000000002.timeindex", names);
    }

    [Fact]
    public void An_old_segment_rolls_after_segment_ms()
    {
        using var scenario = LogScenario.Start(LogConfig.Default with { SegmentMs = 60_000 })
            .AppendValues("a")
            .TimePasses(TimeSpan.FromSeconds(30)).AppendValues("b")
            .ExpectSegments(1)
            .TimePasses(TimeSpan.FromSeconds(31)).AppendValues("c")
            .ExpectSegments(2)
            .ExpectRecords("a", "b", "c");
    }

    [Fact]
    public void Sparse_indexes_find_offsets_in_a_large_segment_after_restart()
    {
        using var scenario = LogScenario.Start(LogConfig.Default with { IndexIntervalBytes = 256 })
            .AppendMany(500, recordsEach: 2, valueSize: 50)
            .Roll()
            .AppendValues("tail")
            .Restart();

        var buffer = new byte[4096];
        foreach (long offset in new long[] { 0, 1, 2, 333, 777, 998, 999, 1000 })
        {
            using var read = scenario.Log.Read(offset, 100, long.MaxValue);
            var records = TestBatches.Parse(buffer.AsSpan(0, read.CopyTo(buffer)));
            Assert.Contains(records, r => r.Offset == offset);
        }
    }

    [Fact]
    public void Offset_for_timestamp_finds_the_first_record_at_or_after_it()
    {
        using var scenario = LogScenario.Start(LogConfig.Default with { IndexIntervalBytes = 1 });
        for (int i = 0; i < 50; i++)
        {
            scenario.Append(TestBatches.Build([new TestRecord(null, "x"), new TestRecord(null, "y", TimestampDelta: 5)], baseTimestamp: 1000 + i * 10));
            if (i == 20)
            {
                scenario.Roll();
            }
        }

        Assert.Equal(new TimestampOffset(1000, 0), scenario.Log.OffsetForTimestamp(0));
        Assert.Equal(new TimestampOffset(1250, 50), scenario.Log.OffsetForTimestamp(1250));
        Assert.Equal(new TimestampOffset(1255, 51), scenario.Log.OffsetForTimestamp(1251));
        Assert.Equal(TimestampOffset.None, scenario.Log.OffsetForTimestamp(5000));
        Assert.Equal(0, scenario.Log.OffsetForTimestamp(ListOffsetsTimestamp.Earliest).Offset);
        Assert.Equal(100, scenario.Log.OffsetForTimestamp(ListOffsetsTimestamp.Latest).Offset);
        Assert.Equal(new TimestampOffset(1495, 99), scenario.Log.OffsetForTimestamp(ListOffsetsTimestamp.MaxTimestamp));
    }

    [Fact]
    public void Offsets_for_timestamps_survive_a_restart()
    {
        using var scenario = LogScenario.Start(LogConfig.Default with { IndexIntervalBytes = 1 });
        for (int i = 0; i < 30; i++)
        {
            scenario.Append(TestBatches.Build([new TestRecord(null, "x")], baseTimestamp: 1000 + i));
            if (i % 10 == 9)
            {
                scenario.Roll();
            }
        }

        scenario.Restart();

        Assert.Equal(15, scenario.Log.OffsetForTimestamp(1015).Offset);
        Assert.Equal(new TimestampOffset(1029, 29), scenario.Log.OffsetForTimestamp(ListOffsetsTimestamp.MaxTimestamp));
    }
}
