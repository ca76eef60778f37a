using Brook.Storage.Tests.Support;

namespace Brook.Storage.Tests;

public sealed class RetentionTests
{
    [Fact]
    public void Segments_older_than_retention_ms_are_deleted_from_the_head()
    {
        using var scenario = LogScenario.Start(LogConfig.Default with { RetentionMs = 60_000 })
            .AppendMany(3).Roll()
            .TimePasses(TimeSpan.FromSeconds(50)).AppendMany(3).Roll()
            .TimePasses(TimeSpan.FromSeconds(20)).AppendMany(3)
            .RunRetention()
            .ExpectSegments(2)
            .ExpectLogStart(3)
            .ExpectOffsets(3, 9);
    }

    [Fact]
    public void The_active_segment_is_never_deleted_even_when_expired()
    {
        using var scenario = LogScenario.Start(LogConfig.Default with { RetentionMs = 1 })
            .AppendMany(3)
            .TimePasses(TimeSpan.FromHours(1))
            .RunRetention()
            .ExpectSegments(1)
            .ExpectOffsets(0, 3);
    }

    [Fact]
    public void Retention_bytes_deletes_the_oldest_segments_until_the_log_fits()
    {
        using var scenario = LogScenario.Start(LogConfig.Default with { SegmentBytes = 1024, RetentionMs = -1 })
            .AppendMany(40, valueSize: 100);
        long segmentBytes = scenario.Log.SizeInBytes / scenario.Log.SegmentCount;

        scenario.Reconfigure(scenario.Log.Config with { RetentionBytes = 3 * 1024 }).RunRetention();

        Assert.True(scenario.Log.SizeInBytes <= 3 * 1024 + segmentBytes);
        Assert.True(scenario.Log.LogStartOffset > 0);
        scenario.ExpectOffsets(scenario.Log.LogStartOffset, 40);
    }

    [Fact]
    public void Retention_never_deletes_above_the_high_watermark()
    {
        using var directory = new TempDirectory();
        var time = new ManualTime();
        using var log = PartitionLog.Open(directory.Sub("t-0"), LogConfig.Default with { RetentionMs = 1 }, new LogOptions { Time = time, HighWatermarkFollowsLogEnd = false });
        log.Append(TestBatches.Values("a"), 0);
        log.Roll();
        log.Append(TestBatches.Values("b"), 0);
        time.Advance(TimeSpan.FromHours(1));

        Assert.Equal(0, log.DeleteExpiredSegments());
        log.UpdateHighWatermark(2);
        Assert.Equal(1, log.DeleteExpiredSegments());
        Assert.Equal(1, log.LogStartOffset);
    }

    [Fact]
    public void Delete_records_advances_the_log_start_and_it_persists_across_a_crash()
    {
        using var scenario = LogScenario.Start()
            .AppendMany(3).Roll().AppendMany(3).Roll().AppendMany(3);

        var (error, logStart) = scenario.Log.DeleteRecords(4);

        Assert.Equal(StorageErrorCode.None, error);
        Assert.Equal(4, logStart);
        scenario.ExpectSegments(2).Crash().Reopen().ExpectLogStart(4).ExpectOffsets(4, 9);
        using var below = scenario.Log.Read(2, 1024, long.MaxValue);
        Assert.Equal(StorageErrorCode.OffsetOutOfRange, below.Error);
    }

    [Fact]
    public void Delete_records_beyond_the_high_watermark_is_refused()
    {
        using var scenario = LogScenario.Start().AppendMany(3);

        Assert.Equal(StorageErrorCode.OffsetOutOfRange, scenario.Log.DeleteRecords(10).Error);
        scenario.ExpectLogStart(0);
    }

    [Fact]
    public void A_reader_keeps_reading_a_segment_that_retention_deletes()
    {
        using var scenario = LogScenario.Start(LogConfig.Default with { RetentionMs = 1 })
            .AppendValues("old").Roll().AppendValues("new");
        using var read = scenario.Log.Read(0, 1024, long.MaxValue);

        scenario.TimePasses(TimeSpan.FromHours(1)).RunRetention().ExpectLogStart(1);

        var buffer = new byte[1024];
        Assert.Equal("old", TestBatches.Parse(buffer.AsSpan(0, read.CopyTo(buffer)))[0].Value);
        Assert.False(File.Exists(Path.Combine(scenario.Directory, "00000000000000000000.log")));
    }
}
