using Brook.Client.Admin;
using Brook.Client.Tests.Support;
using Brook.Protocol.Errors;

namespace Brook.Client.Tests;

public sealed class AdminTests
{
    [Fact]
    public async Task Topics_are_created_listed_described_and_deleted()
    {
        await using var broker = await EmbeddedBroker.StartAsync();
        await using var admin = new KafkaAdminClient(broker.ClientOptions());

        CreatedTopic created = await admin.CreateTopicAsync(new NewTopic("orders", 3, 1));
        await admin.CreateTopicAsync(new NewTopic("audit", 1));

        Assert.Equal(3, created.Partitions);
        Assert.Equal(["audit", "orders"], await admin.ListTopicsAsync());
        TopicDescription described = Assert.Single(await admin.DescribeTopicsAsync(["orders"]));
        Assert.Equal([0, 1, 2], described.Partitions.Select(p => p.Partition));
        Assert.Equal(1, described.ReplicationFactor);
        Assert.All(described.Partitions, p => Assert.Equal(0, p.Leader));

        await admin.DeleteTopicAsync("orders");

        Assert.Equal(["audit"], await admin.ListTopicsAsync());
    }

    [Fact]
    public async Task Creating_an_existing_topic_fails_with_topic_already_exists()
    {
        await using var broker = await EmbeddedBroker.StartAsync();
        await using var admin = new KafkaAdminClient(broker.ClientOptions());
        await admin.CreateTopicAsync(new NewTopic("twice", 1));

        var error = await Assert.ThrowsAsync<KafkaException>(() => admin.CreateTopicAsync(new NewTopic("twice", 1)));

        Assert.Equal(ErrorCode.TopicAlreadyExists, error.Error);
    }

    [Fact]
    public async Task Describing_a_missing_topic_fails_with_unknown_topic()
    {
        await using var broker = await EmbeddedBroker.StartAsync();
        await using var admin = new KafkaAdminClient(broker.ClientOptions());

        var error = await Assert.ThrowsAsync<KafkaException>(() => admin.DescribeTopicsAsync(["nope"]));

        Assert.Equal(ErrorCode.UnknownTopicOrPartition, error.Error);
    }

    [Fact]
    public async Task Describe_cluster_names_the_single_broker()
    {
        await using var broker = await EmbeddedBroker.StartAsync();
        await using var admin = new KafkaAdminClient(broker.ClientOptions());

        ClusterDescription cluster = await admin.DescribeClusterAsync();

        var node = Assert.Single(cluster.Brokers);
        Assert.Equal(broker.Port, node.Port);
        Assert.False(string.IsNullOrEmpty(cluster.ClusterId));
    }

    [Fact]
    public async Task Topic_configs_are_described_and_altered()
    {
        await using var broker = await EmbeddedBroker.StartAsync();
        await using var admin = new KafkaAdminClient(broker.ClientOptions());
        await admin.CreateTopicAsync(new NewTopic("configs", 1) { Configs = new Dictionary<string, string?> { ["retention.ms"] = "3600000" } });
        var resource = new ConfigResource(ConfigResourceType.Topic, "configs");

        ConfigEntry created = (await admin.DescribeConfigsAsync(resource)).Single(c => c.Name == "retention.ms");
        await admin.AlterConfigsAsync(resource, [new ConfigChange("retention.ms", "7200000")]);
        ConfigEntry altered = (await admin.DescribeConfigsAsync(resource)).Single(c => c.Name == "retention.ms");

        Assert.Equal("3600000", created.Value);
        Assert.False(created.IsDefault);
        Assert.Equal("7200000", altered.Value);
    }

    [Fact]
    public async Task Empty_topics_list_earliest_and_latest_offsets_as_zero()
    {
        await using var broker = await EmbeddedBroker.StartAsync();
        await using var admin = new KafkaAdminClient(broker.ClientOptions());
        await admin.CreateTopicAsync(new NewTopic("empty", 2));
        var p0 = new TopicPartition("empty", 0);
        var p1 = new TopicPartition("empty", 1);

        var offsets = await admin.ListOffsetsAsync([new(p0, OffsetSpec.Earliest), new(p1, OffsetSpec.Latest)]);

        Assert.Equal(0, offsets[p0].Offset);
        Assert.Equal(0, offsets[p1].Offset);
    }
}
