using System.Text.Json;
using Brook.Cli.Tests.Support;
using Brook.Client;
using Brook.Client.Admin;

namespace Brook.Cli.Tests;

public sealed class GroupCommandTests
{
    private static async Task<CliHarness> WithCommittedGroupAsync()
    {
        CliHarness cli = await CliHarness.StartAsync();
        (await cli.RunAsync("topic", "create", "orders", "-p", "2")).Ok();
        (await cli.RunWithInputAsync("0 a\n0 b\n0 c\n1 d\n", "topic", "produce", "orders", "--format", "%p %v\\n")).Ok();
        await using var admin = new KafkaAdminClient(cli.Broker.ClientOptions());
        await admin.CommitOffsetsAsync("billing", [new(new TopicPartition("orders", 0), 1), new(new TopicPartition("orders", 1), 1)]);
        return cli;
    }

    [Fact]
    public async Task List_shows_groups_with_their_state()
    {
        await using CliHarness cli = await WithCommittedGroupAsync();

        CliResult text = (await cli.RunAsync("group", "list")).Ok();
        CliResult json = (await cli.RunAsync("group", "list", "--format", "json")).Ok();

        Assert.Equal("GROUP", text.Lines[0].Split(' ')[0]);
        Assert.StartsWith("billing", text.Lines[1], StringComparison.Ordinal);
        JsonElement group = Assert.Single(json.Json.EnumerateArray());
        Assert.Equal("billing", group.GetProperty("group").GetString());
        Assert.Equal("Empty", group.GetProperty("state").GetString());
    }

    [Fact]
    public async Task Describe_shows_committed_offsets_and_lag_per_partition()
    {
        await using CliHarness cli = await WithCommittedGroupAsync();

        CliResult text = (await cli.RunAsync("group", "describe", "billing")).Ok();
        CliResult json = (await cli.RunAsync("group", "describe", "billing", "--format", "json")).Ok();

        Assert.Contains("TOTAL-LAG    2", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("orders  0          1               3               2    -", text.Stdout, StringComparison.Ordinal);
        JsonElement group = Assert.Single(json.Json.EnumerateArray());
        Assert.Equal(2, group.GetProperty("total_lag").GetInt64());
        JsonElement[] partitions = [.. group.GetProperty("partitions").EnumerateArray()];
        Assert.Equal([1L, 1L], partitions.Select(p => p.GetProperty("committed_offset").GetInt64()));
        Assert.Equal([3L, 1L], partitions.Select(p => p.GetProperty("log_end_offset").GetInt64()));
        Assert.Equal([2L, 0L], partitions.Select(p => p.GetProperty("lag").GetInt64()));
    }

    [Fact]
    public async Task Describe_of_a_live_consumer_shows_its_member_and_assignment()
    {
        await using CliHarness cli = await WithCommittedGroupAsync();
        var output = new SharedStream();
        using var stderr = new StringWriter();
        using var stop = new CancellationTokenSource();
        Task<int> consuming = cli.StartAsync(output, stderr, stop.Token, "topic", "consume", "orders", "-g", "billing", "-f", "%v\\n");
        await Brook.Client.Tests.Support.Eventually.True(() => output.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length == 2, "the member printed the uncommitted records");

        CliResult json = (await cli.RunAsync("group", "describe", "billing", "--format", "json")).Ok();
        CliResult seek = await cli.RunAsync("group", "seek", "billing", "--to", "start");
        await stop.CancelAsync();

        Assert.Equal(0, await consuming);
        JsonElement group = Assert.Single(json.Json.EnumerateArray());
        Assert.Equal("Stable", group.GetProperty("state").GetString());
        Assert.Equal("range", group.GetProperty("protocol").GetString());
        JsonElement member = Assert.Single(group.GetProperty("members").EnumerateArray());
        Assert.Equal(2, member.GetProperty("assignment").GetArrayLength());
        Assert.Equal(1, seek.ExitCode);
        Assert.Contains("active member", seek.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Seek_to_start_end_and_a_file_commits_those_offsets()
    {
        await using CliHarness cli = await WithCommittedGroupAsync();
        await using var admin = new KafkaAdminClient(cli.Broker.ClientOptions());

        (await cli.RunAsync("group", "seek", "billing", "--to", "start")).Ok();
        var atStart = await admin.FetchCommittedOffsetsAsync("billing");
        CliResult toEnd = (await cli.RunAsync("group", "seek", "billing", "--to", "end", "--topics", "orders", "--format", "json")).Ok();
        var atEnd = await admin.FetchCommittedOffsetsAsync("billing");
        string file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, "# topic partition offset\norders 0 2\n");
        try
        {
            (await cli.RunAsync("group", "seek", "billing", "--to-file", file)).Ok();
        }
        finally
        {
            File.Delete(file);
        }
        var fromFile = await admin.FetchCommittedOffsetsAsync("billing");

        Assert.Equal([0L, 0L], atStart.OrderBy(p => p.Key.Partition).Select(p => p.Value.Offset));
        Assert.Equal([3L, 1L], toEnd.Json.EnumerateArray().Select(p => p.GetProperty("offset").GetInt64()));
        Assert.Equal([3L, 1L], atEnd.OrderBy(p => p.Key.Partition).Select(p => p.Value.Offset));
        Assert.Equal(2, fromFile[new TopicPartition("orders", 0)].Offset);
    }

    [Fact]
    public async Task Offset_delete_and_delete_remove_the_offsets_and_then_the_group()
    {
        await using CliHarness cli = await WithCommittedGroupAsync();
        await using var admin = new KafkaAdminClient(cli.Broker.ClientOptions());

        CliResult offsets = (await cli.RunAsync("group", "offset-delete", "billing", "-t", "orders:0")).Ok();
        var left = await admin.FetchCommittedOffsetsAsync("billing");
        CliResult deleted = (await cli.RunAsync("group", "delete", "billing")).Ok();
        CliResult again = await cli.RunAsync("group", "delete", "billing", "--format", "json");

        Assert.Equal(["TOPIC   PARTITION  STATUS", "orders  0          deleted"], offsets.Lines);
        Assert.Equal([1], left.Where(p => p.Value.Offset >= 0).Select(p => p.Key.Partition));
        Assert.Equal(["GROUP    STATUS", "billing  deleted"], deleted.Lines);
        Assert.Equal(1, again.ExitCode);
        Assert.Equal("failed", Assert.Single(again.Json.EnumerateArray()).GetProperty("status").GetString());
        Assert.Empty(await admin.ListGroupsAsync());
    }
}
