using System.Globalization;
using Brook.Broker.Cluster;
using Brook.Protocol.Errors;
using Brook.Protocol.Messages;

namespace Brook.Broker.Tests.Handlers;

public sealed class ConfigTests
{
    private const sbyte TopicResource = 2;
    private const sbyte BrokerResource = 4;

    [Fact]
    public async Task DescribeConfigs_reports_overrides_as_topic_configs_and_the_rest_as_defaults()
    {
        await using var broker = await BrokerUnderTest.StartAsync();
        using var client = await broker.ConnectAsync();
        await client.SendAsync<CreateTopicsResponse>(Requests.CreateTopic("c", configs: ("retention.ms", "5000")), 7);

        var configs = await DescribeAsync(client, "c");

        Assert.Equal(("5000", (sbyte)1), configs["retention.ms"]);
        Assert.Equal(("delete", (sbyte)5), configs["cleanup.policy"]);
        Assert.Equal(("1048588", (sbyte)5), configs["max.message.bytes"]);
    }

    [Fact]
    public async Task IncrementalAlterConfigs_sets_deletes_and_appends_and_the_result_survives_a_restart()
    {
        await using var broker = await BrokerUnderTest.StartAsync();
        using (var client = await broker.ConnectAsync())
        {
            await client.SendAsync<CreateTopicsResponse>(Requests.CreateTopic("c", configs: ("retention.ms", "5000")), 7);
            var altered = await client.SendAsync<IncrementalAlterConfigsResponse>(new IncrementalAlterConfigsRequest
            {
                Resources = [new()
                {
                    ResourceType = TopicResource,
                    ResourceName = "c",
                    Configs =
                    [
                        new() { Name = "segment.bytes", ConfigOperation = 0, Value = "1048576" },
                        new() { Name = "retention.ms", ConfigOperation = 1, Value = null },
                        new() { Name = "cleanup.policy", ConfigOperation = 2, Value = "compact" },
                    ],
                }],
            }, 1);
            Assert.Equal(0, Assert.Single(altered.Responses).ErrorCode);
        }

        await broker.RestartAsync();

        using var after = await broker.ConnectAsync();
        var configs = await DescribeAsync(after, "c");
        Assert.Equal(("1048576", (sbyte)1), configs["segment.bytes"]);
        Assert.Equal(("604800000", (sbyte)5), configs["retention.ms"]);
        Assert.Equal(("delete,compact", (sbyte)1), configs["cleanup.policy"]);
    }

    [Fact]
    public async Task AlterConfigs_rejects_unknown_names_and_unknown_topics()
    {
        await using var broker = await BrokerUnderTest.StartAsync();
        using var client = await broker.ConnectAsync();
        await client.SendAsync<CreateTopicsResponse>(Requests.CreateTopic("c"), 7);

        var response = await client.SendAsync<AlterConfigsResponse>(new AlterConfigsRequest
        {
            Resources =
            [
                new() { ResourceType = TopicResource, ResourceName = "c", Configs = [new() { Name = "bogus", Value = "1" }] },
                new() { ResourceType = TopicResource, ResourceName = "missing", Configs = [new() { Name = "retention.ms", Value = "1" }] },
            ],
        }, 2);

        Assert.Equal([(short)ErrorCode.InvalidConfig, (short)ErrorCode.UnknownTopicOrPartition], response.Responses.Select(r => r.ErrorCode));
    }

    [Fact]
    public async Task DescribeConfigs_of_the_broker_reports_its_settings_under_kafka_names_with_sources_types_and_synonyms()
    {
        await using var broker = await BrokerUnderTest.StartAsync(o =>
        {
            o.Broker.DefaultPartitions = 3;
            o.Network.SocketRequestMaxBytes = 2 * 1024 * 1024;
        });
        using var client = await broker.ConnectAsync();

        var response = await client.SendAsync<DescribeConfigsResponse>(new DescribeConfigsRequest
        {
            Resources = [new() { ResourceType = BrokerResource, ResourceName = broker.Server.NodeId.ToString(CultureInfo.InvariantCulture), ConfigurationKeys = null }],
            IncludeSynonyms = true,
        }, 4);

        var result = Assert.Single(response.Results);
        Assert.Equal(0, result.ErrorCode);
        var configs = result.Configs.ToDictionary(c => c.Name);
        // Set at start-up: the value in force, then Kafka's default as the fallback.
        var partitions = configs["num.partitions"];
        Assert.Equal(("3", (sbyte)4, (sbyte)3, true), (partitions.Value, partitions.ConfigSource, partitions.ConfigType, partitions.ReadOnly));
        Assert.Equal([("num.partitions", "3", (sbyte)4), ("num.partitions", "1", (sbyte)5)], partitions.Synonyms.Select(s => (s.Name, s.Value, s.Source)));
        Assert.Equal(("2097152", (sbyte)4), (configs["socket.request.max.bytes"].Value, configs["socket.request.max.bytes"].ConfigSource));
        // Left alone: Kafka's default, reported as the default.
        Assert.Equal(("true", (sbyte)5, (sbyte)1), (configs["auto.create.topics.enable"].Value, configs["auto.create.topics.enable"].ConfigSource, configs["auto.create.topics.enable"].ConfigType));
        Assert.Equal(("604800000", (sbyte)5), (configs["log.retention.ms"].Value, configs["log.retention.ms"].ConfigSource));
        Assert.Equal(("1048588", (sbyte)5), (configs["message.max.bytes"].Value, configs["message.max.bytes"].ConfigSource));
        Assert.Equal(("50", (sbyte)5), (configs["offsets.topic.num.partitions"].Value, configs["offsets.topic.num.partitions"].ConfigSource));
        Assert.Equal((sbyte)4, configs["node.id"].ConfigSource);
        Assert.Equal(broker.DataDirectory, configs["log.dirs"].Value);
    }

    [Fact]
    public async Task DescribeConfigs_of_the_broker_returns_only_the_names_asked_for()
    {
        await using var broker = await BrokerUnderTest.StartAsync();
        using var client = await broker.ConnectAsync();

        var response = await client.SendAsync<DescribeConfigsResponse>(new DescribeConfigsRequest
        {
            Resources = [new() { ResourceType = BrokerResource, ResourceName = "", ConfigurationKeys = ["message.max.bytes", "log.cleanup.policy"] }],
        }, 1);

        var result = Assert.Single(response.Results);
        Assert.Equal(["log.cleanup.policy", "message.max.bytes"], result.Configs.Select(c => c.Name).Order(StringComparer.Ordinal));
        Assert.All(result.Configs, c => Assert.Empty(c.Synonyms));
    }

    [Fact]
    public async Task DescribeConfigs_of_a_topic_names_the_broker_config_each_default_comes_from()
    {
        await using var broker = await BrokerUnderTest.StartAsync();
        using var client = await broker.ConnectAsync();
        await client.SendAsync<CreateTopicsResponse>(Requests.CreateTopic("c", configs: ("retention.ms", "5000")), 7);

        var response = await client.SendAsync<DescribeConfigsResponse>(new DescribeConfigsRequest
        {
            Resources = [new() { ResourceType = TopicResource, ResourceName = "c", ConfigurationKeys = ["retention.ms", "segment.bytes"] }],
            IncludeSynonyms = true,
        }, 4);

        var configs = Assert.Single(response.Results).Configs.ToDictionary(c => c.Name);
        Assert.Equal([("retention.ms", "5000", (sbyte)1), ("log.retention.ms", "604800000", (sbyte)5)],
            configs["retention.ms"].Synonyms.Select(s => (s.Name, s.Value, s.Source)));
        Assert.Equal([("log.segment.bytes", "1073741824", (sbyte)5)], configs["segment.bytes"].Synonyms.Select(s => (s.Name, s.Value, s.Source)));
        Assert.False(configs["retention.ms"].ReadOnly);
        Assert.Equal((sbyte)5, configs["retention.ms"].ConfigType);
    }

    [Fact]
    public async Task Altering_a_broker_config_is_refused_with_how_to_set_it_at_start_up()
    {
        await using var broker = await BrokerUnderTest.StartAsync();
        using var client = await broker.ConnectAsync();

        var altered = await client.SendAsync<IncrementalAlterConfigsResponse>(new IncrementalAlterConfigsRequest
        {
            Resources = [new() { ResourceType = BrokerResource, ResourceName = "0", Configs = [new() { Name = "num.partitions", ConfigOperation = 0, Value = "3" }] }],
        }, 1);

        var result = Assert.Single(altered.Responses);
        Assert.Equal((short)ErrorCode.InvalidRequest, result.ErrorCode);
        Assert.Contains("BROOK_NUM_PARTITIONS", result.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_topic_config_has_a_broker_synonym()
    {
        Assert.Equal(TopicConfigs.Defaults.Keys.Order(StringComparer.Ordinal), BrokerConfigs.TopicSynonyms.Keys.Order(StringComparer.Ordinal));
    }

    private static async Task<Dictionary<string, (string? Value, sbyte Source)>> DescribeAsync(KafkaTestClient client, string topic)
    {
        var response = await client.SendAsync<DescribeConfigsResponse>(new DescribeConfigsRequest
        {
            Resources = [new() { ResourceType = TopicResource, ResourceName = topic, ConfigurationKeys = null }],
        }, 4);
        var result = Assert.Single(response.Results);
        Assert.Equal(0, result.ErrorCode);
        return result.Configs.ToDictionary(c => c.Name, c => (c.Value, c.ConfigSource));
    }
}
