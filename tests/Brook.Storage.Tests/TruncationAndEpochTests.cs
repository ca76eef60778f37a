using Brook.Storage.Tests.Support;

namespace Brook.Storage.Tests;

public sealed class TruncationAndEpochTests
{
    [Fact]
    public void Truncate_to_removes_the_tail_across_segments_and_appends_reuse_the_offsets()
    {
        using var scenario = LogScenario.Start()
            .AppendValues("a", "b").Roll().AppendValues("c", "d").Roll().AppendValues("e");

        long end = scenario.Log.TruncateTo(3);

        Assert.Equal(2, end); // the batch holding offset 3 starts at 2 and goes whole
        scenario.ExpectSegments(2).AppendValues("x").ExpectRecords("a", "b", "x");
    }

    [Fact]
    public void A_truncation_survives_a_crash()
    {
        using var scenario = LogScenario.Start()
            .AppendValues("a").AppendValues("b").AppendValues("c").Flush();

        scenario.Log.TruncateTo(1);

        scenario.Crash().Reopen().ExpectRecords("a");
    }

    [Fact]
    public void Truncate_fully_and_start_at_empties_the_log_at_a_new_offset()
    {
        using var scenario = LogScenario.Start().AppendValues("a", "b").Roll().AppendValues("c");

        scenario.Log.TruncateFullyAndStartAt(100);

        scenario.ExpectLogStart(100).ExpectLogEnd(100).ExpectSegments(1)
            .AppendValues("z")
            .Crash().Reopen()
            .ExpectLogStart(100).ExpectOffsets(100, 101);
    }

    [Fact]
    public void The_epoch_cache_answers_where_each_epoch_ends()
    {
        using var scenario = LogScenario.Start()
            .Append(TestBatches.Values("a", "b"), leaderEpoch: 1)
            .Append(TestBatches.Values("c"), leaderEpoch: 1)
            .Append(TestBatches.Values("d"), leaderEpoch: 3)
            .Append(TestBatches.Values("e"), leaderEpoch: 4);
        var cache = scenario.Log.EpochCache;

        Assert.Equal((1, 3L), cache.EndOffsetFor(1, scenario.Log.LogEndOffset));
        Assert.Equal((1, 3L), cache.EndOffsetFor(2, scenario.Log.LogEndOffset));
        Assert.Equal((3, 4L), cache.EndOffsetFor(3, scenario.Log.LogEndOffset));
        Assert.Equal((4, 5L), cache.EndOffsetFor(4, scenario.Log.LogEndOffset));
        Assert.Equal((-1, -1L), cache.EndOffsetFor(0, scenario.Log.LogEndOffset));
    }

    [Fact]
    public void The_epoch_cache_is_persisted_and_follows_truncation()
    {
        using var scenario = LogScenario.Start()
            .Append(TestBatches.Values("a"), leaderEpoch: 1)
            .Append(TestBatches.Values("b"), leaderEpoch: 2)
            .Append(TestBatches.Values("c"), leaderEpoch: 3);

        scenario.Log.TruncateTo(2);
        scenario.Restart();

        Assert.Equal([new EpochEntry(1, 0), new EpochEntry(2, 1)], scenario.Log.EpochCache.Entries);
        Assert.Equal("0\n2\n1 0\n2 1\n", File.ReadAllText(Path.Combine(scenario.Directory, "leader-epoch-checkpoint")));
    }

    [Fact]
    public void Follower_appends_record_the_epochs_found_in_the_batches()
    {
        using var directory = new TempDirectory();
        using var leader = PartitionLog.Open(directory.Sub("leader-0"), LogConfig.Default);
        using var follower = PartitionLog.Open(directory.Sub("follower-0"), LogConfig.Default);
        leader.Append(TestBatches.Values("a"), 5);
        leader.Append(TestBatches.Values("b"), 6);
        using var read = leader.Read(0, 4096, long.MaxValue);
        var buffer = new byte[4096];
        int copied = read.CopyTo(buffer);

        Assert.True(follower.AppendAsFollower(buffer.AsSpan(0, copied)).Succeeded);

        Assert.Equal(leader.EpochCache.Entries, follower.EpochCache.Entries);
    }

    [Fact]
    public void Delete_records_moves_the_first_epochs_start()
    {
        using var scenario = LogScenario.Start()
            .Append(TestBatches.Values("a", "b"), leaderEpoch: 1)
            .Append(TestBatches.Values("c"), leaderEpoch: 2);

        scenario.Log.DeleteRecords(1);

        Assert.Equal([new EpochEntry(1, 1), new EpochEntry(2, 2)], scenario.Log.EpochCache.Entries);
    }

    [Fact]
    public void After_a_truncation_a_crash_rescans_what_was_appended_since()
    {
        using var scenario = LogScenario.Start()
            .AppendValues("a").Roll().AppendValues("b").Roll().AppendValues("c").Flush();
        scenario.Log.Checkpoint(); // recovery point 3
        scenario.Log.TruncateTo(1);
        scenario.AppendValues("x").Roll().AppendValues("y").Roll().AppendValues("z").Crash();
        string rewritten = Path.Combine(scenario.Directory, "00000000000000000000.log"); // holds "a" and then "x"
        var bytes = File.ReadAllBytes(rewritten);
        bytes[^1] ^= 0xFF; // damage in a segment below the old recovery point but never flushed
        File.WriteAllBytes(rewritten, bytes);

        scenario.Reopen().ExpectRecords("a");
    }
}
