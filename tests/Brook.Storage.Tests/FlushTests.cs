using Brook.Storage.Tests.Support;

namespace Brook.Storage.Tests;

public sealed class FlushTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public void Written_and_flushed_offsets_are_tracked_separately()
    {
        using var scenario = LogScenario.Start().AppendValues("a", "b");

        Assert.Equal(2, scenario.Log.LogEndOffset);
        Assert.Equal(0, scenario.Log.FlushedOffset);
        scenario.Flush();
        Assert.Equal(2, scenario.Log.FlushedOffset);
    }

    [Fact]
    public async Task Waiting_for_durability_without_a_flusher_flushes_inline()
    {
        using var scenario = LogScenario.Start().AppendValues("a");

        var error = await scenario.Log.WaitForFlushAsync(scenario.Appends[0].EndOffset);

        Assert.Equal(StorageErrorCode.None, error);
        Assert.Equal(1, scenario.Log.FlushedOffset);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Concurrent_waiters_all_become_durable(bool flushOnWaitingThread)
    {
        using var directory = new TempDirectory();
        await using var flusher = new LogFlusher();
        using var log = PartitionLog.Open(directory.Sub("t-0"), LogConfig.Default, new LogOptions { Flusher = flusher, FlushOnWaitingThread = flushOnWaitingThread });
        const int Writers = 8;
        const int AppendsEach = 50;

        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (int i = 0; i < AppendsEach; i++)
            {
                var result = log.Append(TestBatches.Values($"w{w}-{i}"), 0);
                Assert.Equal(StorageErrorCode.None, await log.WaitForFlushAsync(result.EndOffset).AsTask().WaitAsync(Deadline));
                Assert.True(log.FlushedOffset >= result.EndOffset);
            }
        })).ToArray();
        await Task.WhenAll(writers).WaitAsync(Deadline);

        Assert.Equal(Writers * AppendsEach, log.FlushedOffset);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Waiters_for_appends_made_before_a_flush_are_all_released_by_one_fsync(bool flushOnWaitingThread)
    {
        using var directory = new TempDirectory();
        await using var flusher = new LogFlusher();
        using var log = PartitionLog.Open(directory.Sub("t-0"), LogConfig.Default, new LogOptions { Flusher = flusher, FlushOnWaitingThread = flushOnWaitingThread });
        var ends = Enumerable.Range(0, 100).Select(i => log.Append(TestBatches.Values($"v{i}"), 0).EndOffset).ToList();

        var waiters = ends.Select(end => log.WaitForFlushAsync(end).AsTask()).ToArray();
        var errors = await Task.WhenAll(waiters).WaitAsync(Deadline);

        Assert.All(errors, e => Assert.Equal(StorageErrorCode.None, e));
        Assert.Equal(1, log.FlushCount);
        Assert.Equal(flushOnWaitingThread ? 0 : 1, flusher.Statistics.Flushes);
    }

    [Fact]
    public async Task Flush_messages_triggers_a_background_flush()
    {
        using var directory = new TempDirectory();
        await using var flusher = new LogFlusher();
        using var log = PartitionLog.Open(directory.Sub("t-0"), LogConfig.Default with { FlushMessages = 3 }, new LogOptions { Flusher = flusher });

        log.Append(TestBatches.Values("a", "b"), 0);
        Assert.Equal(0, log.FlushedOffset);
        log.Append(TestBatches.Values("c"), 0);

        await WaitUntil(() => log.FlushedOffset == 3);
    }

    [Fact]
    public async Task Flush_ms_is_applied_by_the_log_manager()
    {
        using var directory = new TempDirectory();
        var time = new ManualTime();
        await using var manager = LogManager.Open(new LogManagerOptions { DataDirectory = directory.Path, Time = time, RunBackgroundTasks = false });
        var log = manager.GetOrCreateLog(new TopicPartition("t", 0), LogConfig.Default with { FlushMs = 1000 });
        log.Append(TestBatches.Values("a"), 0);

        manager.RunFlushPolicy();
        Assert.Equal(0, log.FlushedOffset);
        time.Advance(TimeSpan.FromSeconds(2));
        manager.RunFlushPolicy();

        await WaitUntil(() => log.FlushedOffset == 1);
    }

    private static Task WaitUntil(Func<bool> condition) => Eventually.Until(condition, Deadline);
}
