using System.Text.Json;
using Brook.Cli.Tests.Support;

namespace Brook.Cli.Tests;

public sealed class ClusterCommandTests
{
    [Fact]
    public async Task Info_names_the_cluster_its_controller_and_brokers()
    {
        await using CliHarness cli = await CliHarness.StartAsync();
        (await cli.RunAsync("topic", "create", "orders")).Ok();

        CliResult text = (await cli.RunAsync("cluster", "info")).Ok();
        JsonElement json = (await cli.RunAsync("cluster", "info", "--format", "json")).Ok().Json;

        Assert.Contains("CONTROLLER  0", text.Stdout, StringComparison.Ordinal);
        Assert.Contains($"0*  127.0.0.1  {cli.Broker.Port}", text.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, json.GetProperty("controller").GetInt32());
        Assert.Equal(1, json.GetProperty("topics").GetInt32());
        JsonElement broker = Assert.Single(json.GetProperty("brokers").EnumerateArray());
        Assert.Equal(cli.Broker.Port, broker.GetProperty("port").GetInt32());
        Assert.False(string.IsNullOrEmpty(json.GetProperty("cluster_id").GetString()));
    }

    [Fact]
    public async Task Health_reports_a_running_broker_as_healthy()
    {
        await using CliHarness cli = await CliHarness.StartAsync();

        CliResult text = (await cli.RunAsync("cluster", "health")).Ok();
        JsonElement json = (await cli.RunAsync("cluster", "health", "--format", "json")).Ok().Json;

        Assert.StartsWith("HEALTHY                yes", text.Stdout, StringComparison.Ordinal);
        Assert.True(json.GetProperty("healthy").GetBoolean());
        Assert.Equal(0, json.GetProperty("down_brokers").GetArrayLength());
    }

    [Fact]
    public async Task Config_list_and_get_show_the_brokers_settings_and_set_reports_the_brokers_refusal()
    {
        await using CliHarness cli = await CliHarness.StartAsync();

        CliResult list = (await cli.RunAsync("cluster", "config", "list", "--format", "json")).Ok();
        CliResult get = (await cli.RunAsync("cluster", "config", "get", "num.partitions")).Ok();
        CliResult missing = await cli.RunAsync("cluster", "config", "get", "no.such.config");
        CliResult set = await cli.RunAsync("cluster", "config", "set", "num.partitions", "3");

        Assert.Contains(list.Json.EnumerateArray(), c => c.GetProperty("name").GetString() == "num.partitions" && c.GetProperty("value").GetString() == "1");
        Assert.Equal("1\n", get.Stdout);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("no config 'no.such.config'", missing.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, set.ExitCode);
        Assert.Contains("INVALID_REQUEST", set.Stderr, StringComparison.Ordinal);
    }
}
