using Brook.Storage.Tests.Support;

namespace Brook.Storage.Tests;

public sealed class LogManagerTests
{
    [Fact]
    public async Task Partitions_live_in_topic_partition_directories_and_come_back_after_a_restart()
    {
        using var directory = new TempDirectory();
        var options = new LogManagerOptions { DataDirectory = directory.Path, RunBackgroundTasks = false };
        await using (var manager = LogManager.Open(options))
        {
            manager.GetOrCreateLog(new TopicPartition("orders", 0)).Append(TestBatches.Values("a"), 0);
            manager.GetOrCreateLog(new TopicPartition("my-topic", 12)).Append(TestBatches.Values("b", "c"), 0);
        }

        Assert.True(Directory.Exists(Path.Combine(directory.Path, "orders-0")));
        Assert.True(Directory.Exists(Path.Combine(directory.Path, "my-topic-12")));
        await using var reopened = LogManager.Open(options);
        Assert.Equal(2, reopened.Logs.Count);
        Assert.True(reopened.TryGetLog(new TopicPartition("my-topic", 12), out var log));
        Assert.Equal(2, log.LogEndOffset);
    }

    [Fact]
    public async Task A_clean_shutdown_leaves_checkpoints_that_say_so()
    {
        using var directory = new TempDirectory();
        var options = new LogManagerOptions { DataDirectory = directory.Path, RunBackgroundTasks = false };
        await using (var manager = LogManager.Open(options))
        {
            manager.GetOrCreateLog(new TopicPartition("t", 0)).Append(TestBatches.Values("a"), 0);
        }

        string checkpoint = await File.ReadAllTextAsync(Path.Combine(directory.Path, "t-0", "partition-checkpoint"));
        Assert.Contains("recovery-point 1\n", checkpoint, StringComparison.Ordinal);
        Assert.Contains("clean-shutdown 1\n", checkpoint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deleting_a_log_removes_its_directory()
    {
        using var directory = new TempDirectory();
        await using var manager = LogManager.Open(new LogManagerOptions { DataDirectory = directory.Path, RunBackgroundTasks = false });
        manager.GetOrCreateLog(new TopicPartition("gone", 3)).Append(TestBatches.Values("a"), 0);

        Assert.True(manager.DeleteLog(new TopicPartition("gone", 3)));

        Assert.Empty(Directory.GetDirectories(directory.Path));
        Assert.False(manager.TryGetLog(new TopicPartition("gone", 3), out _));
    }

    [Fact]
    public async Task Retention_and_compaction_passes_cover_every_log()
    {
        using var directory = new TempDirectory();
        var time = new ManualTime();
        await using var manager = LogManager.Open(new LogManagerOptions { DataDirectory = directory.Path, Time = time, RunBackgroundTasks = false });
        var expiring = manager.GetOrCreateLog(new TopicPartition("events", 0), LogConfig.Default with { RetentionMs = 1000 });
        var compacted = manager.GetOrCreateLog(new TopicPartition("state", 0), LogConfig.Default.WithCleanupPolicy("compact"));
        expiring.Append(TestBatches.Values("old"), 0);
        expiring.Roll();
        expiring.Append(TestBatches.Values("new"), 0);
        compacted.Append(TestBatches.Keyed(("k", "1")), 0);
        compacted.Append(TestBatches.Keyed(("k", "2")), 0);
        compacted.Roll();
        compacted.Append(TestBatches.Keyed(("x", "y")), 0);

        Assert.Equal(1, manager.RunRetention());
        Assert.Equal(1, manager.RunCompaction());

        Assert.Equal(1, expiring.LogStartOffset);
        Assert.Equal(2, compacted.SizeInBytes / TestBatches.Keyed(("k", "1")).Length);
    }

    [Fact]
    public void The_partition_directory_name_splits_at_the_last_dash()
    {
        Assert.True(TopicPartition.TryParseDirectoryName("a-b-c-7", out var partition));
        Assert.Equal(new TopicPartition("a-b-c", 7), partition);
        Assert.False(TopicPartition.TryParseDirectoryName("nodash", out _));
    }
}
