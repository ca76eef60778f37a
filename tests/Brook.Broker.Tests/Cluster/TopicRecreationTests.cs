namespace Brook.Broker.Tests.Cluster;

/// <summary>A topic deleted and created again under the same name has only the new topic's data, across restarts too.</summary>
public sealed class TopicRecreationTests : IAsyncLifetime
{
    private BrokerOnDisk _disk = null!;

    public async Task InitializeAsync() => _disk = await BrokerOnDisk.OpenAsync("recreate");

    public async Task DisposeAsync() => await _disk.DisposeAsync();

    [Fact]
    public async Task A_recreated_topics_records_survive_a_restart_and_the_deleted_ones_stay_gone()
    {
        await _disk.CreateAsync("orders");
        await _disk.AppendCommittedAsync("orders", 3);
        await _disk.DeleteAsync("orders");
        await _disk.CreateAsync("orders");
        var recreatedId = _disk.Topic("orders").Id;
        await _disk.AppendCommittedAsync("orders", 2);

        await _disk.RestartAsync();

        Assert.Equal(recreatedId, _disk.Topic("orders").Id);
        var partition = _disk.Broker.FindPartition("orders", 0)!;
        Assert.Equal(2, partition.Log.LogEndOffset);
        Assert.Equal(2, partition.HighWatermark);
    }

    [Fact]
    public async Task A_topic_deleted_after_being_recreated_stays_deleted_after_a_restart_with_no_directory_left()
    {
        await _disk.CreateAsync("orders");
        await _disk.AppendCommittedAsync("orders", 1);
        await _disk.DeleteAsync("orders");
        await _disk.CreateAsync("orders");
        await _disk.AppendCommittedAsync("orders", 1);
        await _disk.DeleteAsync("orders");

        await _disk.RestartAsync();

        Assert.False(_disk.Broker.TryGetTopic("orders", out _));
        Assert.Empty(Directory.GetDirectories(_disk.Directory, "orders-*"));
    }

    [Fact]
    public async Task A_directory_a_deletion_left_behind_is_set_aside_not_adopted_by_the_topic_created_again()
    {
        await _disk.CreateAsync("orders");
        await _disk.AppendCommittedAsync("orders", 3);
        string directory = Path.Combine(_disk.Directory, "orders-0");
        string copy = Path.Combine(_disk.Directory, "orders-copy");
        Directory.CreateDirectory(copy);
        foreach (string file in Directory.GetFiles(directory))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }
        await _disk.DeleteAsync("orders");
        Directory.Move(copy, directory); // what a deletion whose rename failed leaves behind

        await _disk.CreateAsync("orders");

        Assert.Equal(0, _disk.Broker.FindPartition("orders", 0)!.Log.LogEndOffset);
        string stray = Assert.Single(Directory.GetDirectories(_disk.Directory, "orders-0.*-stray"));
        Assert.NotEmpty(Directory.GetFiles(stray, "*.log"));
    }
}
