using Brook.Protocol.Errors;
using Brook.Protocol.Messages;

namespace Brook.Broker.Tests.Handlers;

public sealed class ConfigTests
{
    private const sbyte TopicResource = 2;

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
