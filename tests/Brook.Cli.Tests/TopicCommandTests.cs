using System.Text.Json;
using Brook.Cli.Tests.Support;
using Brook.Client.Admin;

namespace Brook.Cli.Tests;

public sealed class TopicCommandTests
{
    [Fact]
    public async Task Create_makes_topics_with_the_partitions_and_configs_asked_for()
    {
        await using CliHarness cli = await CliHarness.StartAsync();

        CliResult created = await cli.RunAsync("topic", "create", "orders", "audit", "-p", "3", "-c", "retention.ms=3600000");

        created.Ok();
        Assert.Equal(["TOPIC   STATUS", "orders  created", "audit   created"], created.Lines);
        await using var admin = new KafkaAdminClient(cli.Broker.ClientOptions());
        TopicDescription orders = (await admin.DescribeTopicsAsync(["orders"]))[0];
        Assert.Equal(3, orders.Partitions.Count);
        IReadOnlyList<ConfigEntry> configs = await admin.DescribeConfigsAsync(new ConfigResource(ConfigResourceType.Topic, "orders"));
        Assert.Equal("3600000", configs.Single(c => c.Name == "retention.ms").Value);
    }

    [Fact]
    public async Task Creating_an_existing_topic_fails_with_exit_code_1_unless_if_not_exists_is_given()
    {
        await using CliHarness cli = await CliHarness.StartAsync();
        (await cli.RunAsync("topic", "create", "orders")).Ok();

        CliResult again = await cli.RunAsync("topic", "create", "orders", "--format", "json");
        CliResult tolerated = await cli.RunAsync("topic", "create", "orders", "--if-not-exists");

        Assert.Equal(1, again.ExitCode);
        JsonElement row = Assert.Single(again.Json.EnumerateArray());
        Assert.Equal("failed", row.GetProperty("status").GetString());
        Assert.Contains("TOPIC_ALREADY_EXISTS", row.GetProperty("error").GetString(), StringComparison.Ordinal);
        tolerated.Ok();
        Assert.Contains("exists", tolerated.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_prints_each_topic_with_its_partition_count_as_text_json_and_yaml_and_selects_by_regex()
    {
        await using CliHarness cli = await CliHarness.StartAsync();
        (await cli.RunAsync("topic", "create", "orders", "-p", "2")).Ok();
        (await cli.RunAsync("topic", "create", "orders-dlq", "-p", "1")).Ok();
        (await cli.RunAsync("topic", "create", "audit", "-p", "4")).Ok();

        CliResult text = (await cli.RunAsync("topic", "list")).Ok();
        CliResult json = (await cli.RunAsync("topic", "list", "--format", "json")).Ok();
        CliResult yaml = (await cli.RunAsync("topic", "list", "--format", "yaml")).Ok();
        CliResult selected = (await cli.RunAsync("topic", "list", "-r", "orders.*", "--format", "json")).Ok();

        Assert.Equal(["NAME        PARTITIONS  REPLICAS", "audit       4           1", "orders      2           1", "orders-dlq  1           1"], text.Lines);
        Assert.Equal(["audit", "orders", "orders-dlq"], json.Json.EnumerateArray().Select(t => t.GetProperty("name").GetString()));
        Assert.Equal([4, 2, 1], json.Json.EnumerateArray().Select(t => t.GetProperty("partitions").GetInt32()));
        Assert.Contains("- name: audit", yaml.Stdout, StringComparison.Ordinal);
        Assert.Contains("  partitions: 4", yaml.Stdout, StringComparison.Ordinal);
        Assert.Equal(["orders", "orders-dlq"], selected.Json.EnumerateArray().Select(t => t.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task Describe_shows_overrides_and_each_partition_with_its_leader_and_offsets()
    {
        await using CliHarness cli = await CliHarness.StartAsync();
        (await cli.RunAsync("topic", "create", "orders", "-p", "2", "-c", "cleanup.policy=compact")).Ok();
        (await cli.RunWithInputAsync("a\nb\nc\n", "topic", "produce", "orders", "-p", "1")).Ok();

        CliResult text = (await cli.RunAsync("topic", "describe", "orders")).Ok();
        CliResult json = (await cli.RunAsync("topic", "describe", "orders", "--format", "json")).Ok();

        Assert.Contains("cleanup.policy  compact", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("PARTITION  LEADER  EPOCH  REPLICAS  LOG-START-OFFSET  HIGH-WATERMARK", text.Stdout, StringComparison.Ordinal);
        JsonElement topic = Assert.Single(json.Json.EnumerateArray());
        Assert.Equal(2, topic.GetProperty("partitions").GetInt32());
        JsonElement[] partitions = [.. topic.GetProperty("partition_details").EnumerateArray()];
        Assert.Equal([0L, 3L], partitions.Select(p => p.GetProperty("high_watermark").GetInt64()));
        Assert.All(partitions, p => Assert.Equal(0, p.GetProperty("leader").GetInt32()));
        Assert.Contains(topic.GetProperty("configs").EnumerateArray(), c => c.GetProperty("name").GetString() == "cleanup.policy" && !c.GetProperty("default").GetBoolean());
    }

    [Fact]
    public async Task Delete_by_regex_deletes_only_the_matching_topics()
    {
        await using CliHarness cli = await CliHarness.StartAsync();
        foreach (string name in new[] { "tmp-1", "tmp-2", "keep" })
        {
            (await cli.RunAsync("topic", "create", name)).Ok();
        }

        CliResult deleted = (await cli.RunAsync("topic", "delete", "-r", "tmp-.*")).Ok();

        Assert.Equal(["TOPIC  STATUS", "tmp-1  deleted", "tmp-2  deleted"], deleted.Lines);
        await using var admin = new KafkaAdminClient(cli.Broker.ClientOptions());
        Assert.Equal(["keep"], await admin.ListTopicsAsync());
    }

    [Fact]
    public async Task Deleting_a_topic_that_does_not_exist_fails_with_exit_code_1()
    {
        await using CliHarness cli = await CliHarness.StartAsync();

        CliResult result = await cli.RunAsync("topic", "delete", "ghost");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("UNKNOWN_TOPIC_OR_PARTITION", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Alter_config_sets_and_removes_overrides()
    {
        await using CliHarness cli = await CliHarness.StartAsync();
        (await cli.RunAsync("topic", "create", "orders", "-c", "cleanup.policy=compact")).Ok();

        CliResult altered = (await cli.RunAsync("topic", "alter-config", "orders", "--set", "retention.ms=1000", "--delete", "cleanup.policy")).Ok();

        Assert.Equal(["orders: retention.ms=1000", "orders: cleanup.policy reset to default"], altered.Lines);
        await using var admin = new KafkaAdminClient(cli.Broker.ClientOptions());
        IReadOnlyList<ConfigEntry> configs = await admin.DescribeConfigsAsync(new ConfigResource(ConfigResourceType.Topic, "orders"));
        Assert.Equal("1000", configs.Single(c => c.Name == "retention.ms").Value);
        Assert.True(configs.Single(c => c.Name == "cleanup.policy").IsDefault);
    }

    [Fact]
    public async Task Add_partitions_grows_the_topic_by_the_number_given()
    {
        await using CliHarness cli = await CliHarness.StartAsync();
        (await cli.RunAsync("topic", "create", "orders", "-p", "2")).Ok();

        CliResult added = (await cli.RunAsync("topic", "add-partitions", "orders", "-n", "3")).Ok();

        Assert.Equal("orders: 2 -> 5 partitions\n", added.Stdout);
        await using var admin = new KafkaAdminClient(cli.Broker.ClientOptions());
        Assert.Equal(5, (await admin.DescribeTopicsAsync(["orders"]))[0].Partitions.Count);
    }

    [Fact]
    public async Task Trim_prefix_deletes_the_records_before_the_offset()
    {
        await using CliHarness cli = await CliHarness.StartAsync();
        (await cli.RunAsync("topic", "create", "orders", "-p", "1")).Ok();
        (await cli.RunWithInputAsync("0\n1\n2\n3\n4\n", "topic", "produce", "orders")).Ok();

        CliResult trimmed = (await cli.RunAsync("topic", "trim-prefix", "orders", "-o", "3", "--format", "json")).Ok();
        CliResult rest = (await cli.RunAsync("topic", "consume", "orders", "-o", "start:end", "-f", "%o=%v\n")).Ok();

        Assert.Equal(3, Assert.Single(trimmed.Json.EnumerateArray()).GetProperty("low_watermark").GetInt64());
        Assert.Equal(["3=3", "4=4"], rest.Lines);
    }
}
