using Brook.Broker.Cluster;
using Brook.Protocol.Errors;

namespace Brook.Broker.Tests.Cluster;

/// <summary>A long metadata log is rewritten at start-up as the state it builds, which the next start-up replays instead.</summary>
public sealed class MetadataSnapshotTests : IAsyncLifetime
{
    private BrokerOnDisk _disk = null!;

    private KafkaBroker Broker => _disk.Broker;

    public async Task InitializeAsync() => _disk = await BrokerOnDisk.OpenAsync("snapshot", new KafkaBrokerOptions { MetadataSnapshotRecords = 10 });

    public async Task DisposeAsync() => await _disk.DisposeAsync();

    [Fact]
    public async Task A_restart_after_many_changes_keeps_the_same_state_and_the_next_one_replays_only_the_snapshot()
    {
        for (int i = 0; i < 8; i++)
        {
            await _disk.CreateAsync($"t{i}");
        }
        for (int i = 0; i < 6; i++)
        {
            await _disk.DeleteAsync($"t{i}");
        }
        Assert.Equal(ErrorCode.None, (await Broker.CreatePartitionsAsync("t6", 2, validateOnly: false, CancellationToken.None)).Error);
        var configs = new Dictionary<string, string> { ["retention.ms"] = "5000", ["cleanup.policy"] = "compact" };
        Assert.Equal(ErrorCode.None, (await Broker.SetTopicConfigsAsync("t7", configs, validateOnly: false, CancellationToken.None)).Error);
        long producerId = await Broker.AllocateProducerIdAsync(CancellationToken.None);
        await _disk.AppendCommittedAsync("t7", 3);
        var before = (Broker.ClusterId, _disk.Topic("t6").Id, _disk.Topic("t7").Id);

        await _disk.RestartAsync(); // replays the history and rewrites it as a snapshot
        int history = Broker.MetadataRecordsReplayed;
        await _disk.RestartAsync(); // replays the snapshot

        // cluster + producer ids + the two live topics
        Assert.Equal(4, Broker.MetadataRecordsReplayed);
        Assert.True(history > 15, $"replayed {history}");
        Assert.Equal(before, (Broker.ClusterId, _disk.Topic("t6").Id, _disk.Topic("t7").Id));
        Assert.Equal(["t6", "t7"], Enumerable.Range(0, 8).Select(i => $"t{i}").Where(name => Broker.TryGetTopic(name, out _)));
        Assert.Equal(2, _disk.Topic("t6").Partitions.Count);
        Assert.Equal(configs, _disk.Topic("t7").Configs);
        Assert.Equal(3, Broker.FindPartition("t7", 0)!.Log.LogEndOffset);
        Assert.True(await Broker.AllocateProducerIdAsync(CancellationToken.None) > producerId);
        Assert.Empty(Directory.GetDirectories(_disk.Directory, "t0-*"));
        // The history's segment is gone from disk, not only skipped.
        Assert.Single(Directory.GetFiles(Path.Combine(_disk.Directory, "__cluster_metadata-0"), "*.log"));
    }

    [Fact]
    public async Task Changes_after_a_snapshot_are_replayed_on_top_of_it()
    {
        for (int i = 0; i < 12; i++)
        {
            await _disk.CreateAsync($"x{i}");
            await _disk.DeleteAsync($"x{i}");
        }
        await _disk.CreateAsync("kept");
        await _disk.RestartAsync(); // snapshot

        await _disk.DeleteAsync("kept");
        await _disk.CreateAsync("later", 2);
        await _disk.AppendCommittedAsync("later", 2);
        await _disk.RestartAsync();

        Assert.False(Broker.TryGetTopic("kept", out _));
        Assert.Equal(2, _disk.Topic("later").Partitions.Count);
        Assert.Equal(2, Broker.FindPartition("later", 0)!.Log.LogEndOffset);
    }

    [Fact]
    public void Replaying_the_history_followed_by_its_snapshot_applies_each_topic_once()
    {
        // What a crash between writing the snapshot and moving the log start leaves behind.
        MetadataRecord[] history =
        [
            new() { Type = MetadataRecord.ClusterType, ClusterId = "c" },
            new() { Type = MetadataRecord.TopicType, Topic = "a", TopicId = "id-a1", Partitions = 1 },
            new() { Type = MetadataRecord.DeleteTopicType, Topic = "a", TopicId = "id-a1" },
            new() { Type = MetadataRecord.TopicType, Topic = "a", TopicId = "id-a2", Partitions = 1 },
            new() { Type = MetadataRecord.PartitionsType, Topic = "a", TopicId = "id-a2", Partitions = 3 },
        ];
        MetadataRecord[] snapshot =
        [
            new() { Type = MetadataRecord.ClusterType, ClusterId = "c" },
            new() { Type = MetadataRecord.ProducerIdsType, NextProducerId = 1000 },
            new() { Type = MetadataRecord.TopicType, Topic = "a", TopicId = "id-a2", Partitions = 3 },
        ];

        var applied = MetadataReplay.RecordsToApply([.. history, .. snapshot]).ToList();

        Assert.Equal([.. history.Where(r => r.Topic is null), .. snapshot], applied);
    }
}
