using Brook.Protocol.Records;
using Brook.Storage.Tests.Support;

namespace Brook.Storage.Tests;

public sealed class AppendAndReadTests
{
    [Fact]
    public void Appends_are_read_back_in_order_with_broker_assigned_offsets()
    {
        using var scenario = LogScenario.Start()
            .AppendValues("a", "b", "c")
            .AppendValues("d")
            .AppendValues("e", "f");

        scenario.ExpectLogEnd(6).ExpectRecords("a", "b", "c", "d", "e", "f");
        Assert.Equal([0L, 3, 4], scenario.Appends.Select(a => a.FirstOffset));
        Assert.Equal([2L, 3, 5], scenario.Appends.Select(a => a.LastOffset));
    }

    [Fact]
    public void The_leader_epoch_is_written_into_each_batch_header()
    {
        using var scenario = LogScenario.Start().Append(TestBatches.Values("a"), leaderEpoch: 7);

        Assert.All(scenario.ReadAll(), r => Assert.Equal(7, r.LeaderEpoch));
    }

    [Fact]
    public void A_read_from_the_middle_of_a_batch_returns_that_whole_batch()
    {
        using var scenario = LogScenario.Start().AppendValues("a", "b", "c").AppendValues("d");
        using var read = scenario.Log.Read(1, 1024, long.MaxValue);
        var buffer = new byte[1024];

        var records = TestBatches.Parse(buffer.AsSpan(0, read.CopyTo(buffer)));

        Assert.Equal([0L, 1, 2, 3], records.Select(r => r.Offset));
    }

    [Fact]
    public void Reads_stop_below_the_callers_upper_bound()
    {
        using var scenario = LogScenario.Start().AppendValues("a").AppendValues("b").AppendValues("c");
        using var read = scenario.Log.Read(0, 1024, maxOffset: 2);
        var buffer = new byte[1024];

        var records = TestBatches.Parse(buffer.AsSpan(0, read.CopyTo(buffer)));

        Assert.Equal(["a", "b"], records.Select(r => r.Value));
    }

    [Fact]
    public void A_byte_limit_keeps_only_whole_batches_but_at_least_the_first()
    {
        var batch = TestBatches.OfSize(1, 200);
        using var scenario = LogScenario.Start().Append(batch).Append(batch).Append(batch);
        var buffer = new byte[4096];

        using var tight = scenario.Log.Read(0, 10, long.MaxValue);
        using var twoAndABit = scenario.Log.Read(0, batch.Length * 2 + 50, long.MaxValue);

        Assert.Equal(batch.Length, tight.CopyTo(buffer));
        Assert.Equal(batch.Length * 2, twoAndABit.CopyTo(buffer));
    }

    [Fact]
    public void Reading_at_the_log_end_is_empty_and_beyond_it_is_out_of_range()
    {
        using var scenario = LogScenario.Start().AppendValues("a");

        using var atEnd = scenario.Log.Read(1, 1024, long.MaxValue);
        using var beyond = scenario.Log.Read(5, 1024, long.MaxValue);

        Assert.True(atEnd.IsEmpty);
        Assert.Equal(StorageErrorCode.None, atEnd.Error);
        Assert.Equal(StorageErrorCode.OffsetOutOfRange, beyond.Error);
    }

    [Fact]
    public void A_batch_with_broken_framing_is_refused_and_the_log_is_unchanged()
    {
        using var scenario = LogScenario.Start().AppendValues("a");
        var batch = TestBatches.Values("b");
        batch[RecordBatchHeader.MagicOffset] = 1;

        var result = scenario.Log.Append(batch, 0);

        Assert.Equal(StorageErrorCode.CorruptMessage, result.Error);
        scenario.ExpectLogEnd(1).ExpectRecords("a");
    }

    [Fact]
    public void Log_append_time_topics_stamp_the_batch_and_keep_a_valid_crc()
    {
        using var scenario = LogScenario.Start(LogConfig.Default with { MessageTimestampType = TimestampType.LogAppendTime });

        scenario.AppendValues("a");

        Assert.Equal(scenario.Time.NowMs, scenario.Appends[0].LogAppendTime);
        using var read = scenario.Log.Read(0, 1024, long.MaxValue);
        var buffer = new byte[1024];
        int copied = read.CopyTo(buffer);
        var header = new RecordBatchHeader(buffer.AsSpan(0, copied));
        Assert.True(header.IsLogAppendTime);
        Assert.Equal(scenario.Time.NowMs, header.MaxTimestamp);
        Assert.Single(TestBatches.Parse(buffer.AsSpan(0, copied))); // Parse checks the CRC
    }

    [Fact]
    public void A_follower_append_keeps_the_leaders_offsets_and_refuses_going_backwards()
    {
        using var scenario = LogScenario.Start();
        var batch = TestBatches.Build([new TestRecord(null, "x")], baseOffset: 10);

        var first = scenario.Log.AppendAsFollower(batch);
        var again = scenario.Log.AppendAsFollower(TestBatches.Build([new TestRecord(null, "y")], baseOffset: 5));

        Assert.Equal(10, first.FirstOffset);
        Assert.Equal(11, scenario.Log.LogEndOffset);
        Assert.Equal(StorageErrorCode.InvalidOffset, again.Error);
    }

    [Fact]
    public async Task Reads_go_on_while_appends_run_and_see_only_whole_batches()
    {
        using var scenario = LogScenario.Start(LogConfig.Default with { SegmentBytes = 64 * 1024 });
        var batch = TestBatches.OfSize(4, 300);
        var writer = Task.Run(() =>
        {
            for (int i = 0; i < 2000; i++)
            {
                Assert.True(scenario.Log.Append(batch.AsSpan().ToArray(), 0).Succeeded);
            }
        });
        var buffer = new byte[256 * 1024];
        long readRecords = 0;
        while (!writer.IsCompleted || readRecords < scenario.Log.LogEndOffset)
        {
            using var read = scenario.Log.Read(readRecords, buffer.Length, long.MaxValue);
            int copied = read.CopyTo(buffer);
            var records = TestBatches.Parse(buffer.AsSpan(0, copied)); // throws on a torn batch
            if (records.Count > 0)
            {
                Assert.Equal(readRecords, records[0].Offset);
                readRecords = records[^1].Offset + 1;
            }
        }
        await writer;
        Assert.Equal(8000, readRecords);
    }
}
