using Brook.Protocol.Errors;
using Brook.Protocol.Messages;

namespace Brook.Broker.Tests.Handlers;

public sealed class TopicAdminTests
{
    [Fact]
    public async Task Metadata_auto_creates_an_unknown_topic_with_num_partitions_led_by_this_node()
    {
        await using var broker = await BrokerUnderTest.StartAsync(o => o.Broker.DefaultPartitions = 3);
        using var client = await broker.ConnectAsync();

        var response = await client.SendAsync<MetadataResponse>(Requests.Metadata("orders"), 12);

        var topic = Assert.Single(response.Topics);
        Assert.Equal(0, topic.ErrorCode);
        Assert.False(topic.TopicId.IsZero);
        Assert.Equal([0, 1, 2], topic.Partitions.Select(p => p.PartitionIndex));
        Assert.All(topic.Partitions, p => Assert.Equal((0, 0, 0), (p.LeaderId, p.LeaderEpoch, Assert.Single(p.ReplicaNodes))));
        Assert.Equal(broker.Server.KafkaEndPoint.Port, Assert.Single(response.Brokers).Port);
        Assert.Equal(0, response.ControllerId);
        Assert.False(string.IsNullOrEmpty(response.ClusterId));
    }

    [Fact]
    public async Task Metadata_without_auto_creation_answers_unknown_topic()
    {
        await using var broker = await BrokerUnderTest.StartAsync(o => o.Broker.AutoCreateTopics = false);
        using var client = await broker.ConnectAsync();

        var response = await client.SendAsync<MetadataResponse>(Requests.Metadata("missing"), 12);

        Assert.Equal((short)ErrorCode.UnknownTopicOrPartition, Assert.Single(response.Topics).ErrorCode);
    }

    [Fact]
    public async Task CreateTopics_reports_each_kind_of_bad_request_with_kafkas_error()
    {
        await using var broker = await BrokerUnderTest.StartAsync();
        using var client = await broker.ConnectAsync();
        await client.SendAsync<CreateTopicsResponse>(Requests.CreateTopic("existing"), 7);

        async Task<short> ErrorOf(CreateTopicsRequest request) => Assert.Single((await client.SendAsync<CreateTopicsResponse>(request, 7)).Topics).ErrorCode;

        Assert.Equal((short)ErrorCode.TopicAlreadyExists, await ErrorOf(Requests.CreateTopic("existing")));
        Assert.Equal((short)ErrorCode.InvalidPartitions, await ErrorOf(Requests.CreateTopic("zero", partitions: 0)));
        Assert.Equal((short)ErrorCode.InvalidTopicException, await ErrorOf(Requests.CreateTopic("bad/name")));
        Assert.Equal((short)ErrorCode.InvalidReplicationFactor, await ErrorOf(Requests.CreateTopic("replicated", replicationFactor: 3)));
        Assert.Equal((short)ErrorCode.InvalidConfig, await ErrorOf(Requests.CreateTopic("configured", configs: ("no.such.config", "1"))));
    }

    [Fact]
    public async Task Validate_only_creates_nothing()
    {
        await using var broker = await BrokerUnderTest.StartAsync(o => o.Broker.AutoCreateTopics = false);
        using var client = await broker.ConnectAsync();

        var created = await client.SendAsync<CreateTopicsResponse>(Requests.CreateTopic("dry", partitions: 4, validateOnly: true), 7);
        var metadata = await client.SendAsync<MetadataResponse>(Requests.Metadata("dry"), 12);

        Assert.Equal(0, Assert.Single(created.Topics).ErrorCode);
        Assert.Equal((short)ErrorCode.UnknownTopicOrPartition, Assert.Single(metadata.Topics).ErrorCode);
    }

    [Fact]
    public async Task Created_topics_report_their_configs_and_a_deleted_topic_is_gone()
    {
        await using var broker = await BrokerUnderTest.StartAsync(o => o.Broker.AutoCreateTopics = false);
        using var client = await broker.ConnectAsync();

        var created = Assert.Single((await client.SendAsync<CreateTopicsResponse>(Requests.CreateTopic("t", 2, configs: ("retention.ms", "1000")), 7)).Topics);
        var deleted = await client.SendAsync<DeleteTopicsResponse>(new DeleteTopicsRequest { TopicNames = ["t", "never"] }, 5);
        var metadata = await client.SendAsync<MetadataResponse>(Requests.Metadata("t"), 12);

        Assert.Equal(2, created.NumPartitions);
        Assert.Equal("1000", created.Configs!.Single(c => c.Name == "retention.ms").Value);
        Assert.Equal("delete", created.Configs!.Single(c => c.Name == "cleanup.policy").Value);
        Assert.Equal([0, (short)ErrorCode.UnknownTopicOrPartition], deleted.Responses.Select(r => r.ErrorCode));
        Assert.Equal((short)ErrorCode.UnknownTopicOrPartition, Assert.Single(metadata.Topics).ErrorCode);
        Assert.False(Directory.Exists(Path.Combine(broker.DataDirectory, "t-0")));
    }

    [Fact]
    public async Task CreatePartitions_grows_a_topic_and_refuses_to_shrink_it()
    {
        await using var broker = await BrokerUnderTest.StartAsync();
        using var client = await broker.ConnectAsync();
        await client.SendAsync<CreateTopicsResponse>(Requests.CreateTopic("grow", 1), 7);

        var grown = await client.SendAsync<CreatePartitionsResponse>(new CreatePartitionsRequest { Topics = [new() { Name = "grow", Count = 3, Assignments = null }], TimeoutMs = 1000 }, 3);
        var shrunk = await client.SendAsync<CreatePartitionsResponse>(new CreatePartitionsRequest { Topics = [new() { Name = "grow", Count = 2, Assignments = null }], TimeoutMs = 1000 }, 3);
        var metadata = await client.SendAsync<MetadataResponse>(Requests.Metadata("grow"), 12);

        Assert.Equal(0, Assert.Single(grown.Results).ErrorCode);
        Assert.Equal((short)ErrorCode.InvalidPartitions, Assert.Single(shrunk.Results).ErrorCode);
        Assert.Equal(3, Assert.Single(metadata.Topics).Partitions.Count);
    }

    [Fact]
    public async Task Topics_their_ids_and_partition_counts_survive_a_restart()
    {
        await using var broker = await BrokerUnderTest.StartAsync(o => o.Broker.AutoCreateTopics = false);
        MetadataResponse before;
        using (var client = await broker.ConnectAsync())
        {
            await client.SendAsync<CreateTopicsResponse>(Requests.CreateTopic("kept", 2), 7);
            await client.SendAsync<CreateTopicsResponse>(Requests.CreateTopic("dropped", 1), 7);
            await client.SendAsync<CreatePartitionsResponse>(new CreatePartitionsRequest { Topics = [new() { Name = "kept", Count = 4, Assignments = null }] }, 3);
            await client.SendAsync<DeleteTopicsResponse>(new DeleteTopicsRequest { TopicNames = ["dropped"] }, 5);
            before = await client.SendAsync<MetadataResponse>(new MetadataRequest { Topics = null }, 12);
        }

        await broker.RestartAsync();

        using var after = await broker.ConnectAsync();
        var metadata = await after.SendAsync<MetadataResponse>(new MetadataRequest { Topics = null }, 12);
        var kept = Assert.Single(metadata.Topics);
        Assert.Equal("kept", kept.Name);
        Assert.Equal(Assert.Single(before.Topics).TopicId, kept.TopicId);
        Assert.Equal(4, kept.Partitions.Count);
        Assert.Equal(before.ClusterId, metadata.ClusterId);
    }
}
