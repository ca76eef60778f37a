using Brook.Storage.Tests.Support;

namespace Brook.Storage.Tests;

/// <summary>A partition directory records the topic id it belongs to, so an earlier topic's leftover directory is never adopted.</summary>
public sealed class PartitionOwnerTests
{
    private static readonly TopicPartition Orders = new("orders", 0);

    [Fact]
    public async Task A_directory_from_before_the_owner_file_is_adopted_with_its_data_and_claimed_again_by_the_same_id()
    {
        using var directory = new TempDirectory();
        var options = new LogManagerOptions { DataDirectory = directory.Path, RunBackgroundTasks = false };
        await using (var manager = LogManager.Open(options))
        {
            manager.GetOrCreateLog(Orders).Append(TestBatches.Values("a", "b"), 0);
        }

        await using (var manager = LogManager.Open(options))
        {
            Assert.Equal(2, manager.ClaimLog(Orders, "id-1").LogEndOffset);
        }
        await using var reopened = LogManager.Open(options);
        Assert.Equal(2, reopened.ClaimLog(Orders, "id-1").LogEndOffset);
        string owner = await File.ReadAllTextAsync(Path.Combine(directory.Path, "orders-0", "partition.metadata"));
        Assert.Contains("topic_id: id-1\n", owner, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_directory_of_another_topic_id_is_set_aside_whole_and_the_new_topic_starts_empty()
    {
        using var directory = new TempDirectory();
        var options = new LogManagerOptions { DataDirectory = directory.Path, RunBackgroundTasks = false };
        await using (var manager = LogManager.Open(options))
        {
            manager.ClaimLog(Orders, "old-id").Append(TestBatches.Values("old"), 0);
        }

        await using (var manager = LogManager.Open(options))
        {
            PartitionLog log = manager.ClaimLog(Orders, "new-id");
            Assert.Equal(0, log.LogEndOffset);
            log.Append(TestBatches.Values("new", "new"), 0);
        }

        string stray = Assert.Single(Directory.GetDirectories(directory.Path, "orders-0.*-stray"));
        Assert.NotEmpty(Directory.GetFiles(stray, "*.log"));
        await using var reopened = LogManager.Open(options);
        Assert.Single(reopened.Logs);
        Assert.Equal(2, reopened.ClaimLog(Orders, "new-id").LogEndOffset);
    }
}
