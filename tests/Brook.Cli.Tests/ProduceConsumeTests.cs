using System.Text;
using System.Text.Json;
using Brook.Cli.Tests.Support;
using Brook.Client;
using Brook.Client.Consuming;

namespace Brook.Cli.Tests;

public sealed class ProduceConsumeTests
{
    [Fact]
    public async Task Lines_produced_with_keys_and_headers_are_consumed_back_as_json_with_both_intact()
    {
        await using CliHarness cli = await CliHarness.StartAsync();
        (await cli.RunAsync("topic", "create", "orders", "-p", "1")).Ok();

        CliResult produced = await cli.RunWithInputAsync("k1 first value\nk2 second\n", "topic", "produce", "orders", "--format", "%k %v\\n", "-H", "origin=cli", "-H", "team=a");
        CliResult consumed = await cli.RunAsync("topic", "consume", "orders", "-n", "2");

        produced.Ok();
        Assert.Equal("produced 2 records to orders\n", produced.Stderr);
        consumed.Ok();
        JsonElement[] records = [.. consumed.Lines.Select(l => JsonDocument.Parse(l).RootElement)];
        Assert.Equal(["k1", "k2"], records.Select(r => r.GetProperty("key").GetString()));
        Assert.Equal(["first value", "second"], records.Select(r => r.GetProperty("value").GetString()));
        Assert.Equal([0L, 1L], records.Select(r => r.GetProperty("offset").GetInt64()));
        Assert.All(records, r => Assert.Equal("origin=cli,team=a",
            string.Join(',', r.GetProperty("headers").EnumerateArray().Select(h => $"{h.GetProperty("key").GetString()}={h.GetProperty("value").GetString()}"))));
    }

    [Fact]
    public async Task A_template_reads_keys_headers_partitions_and_timestamps_from_the_input_and_prints_them_back()
    {
        await using CliHarness cli = await CliHarness.StartAsync();
        (await cli.RunAsync("topic", "create", "orders", "-p", "3")).Ok();

        (await cli.RunWithInputAsync("2|k|1700000000000|a=1,b=2|v\n", "topic", "produce", "orders", "--format", "%p|%k|%T|%h|%v\\n")).Ok();
        CliResult consumed = (await cli.RunAsync("topic", "consume", "orders", "-o", "start:end", "-f", "%t %p %o %T %k=%v %K/%V [%h] {%h{<%k:%v>}}\\n")).Ok();

        Assert.Equal("orders 2 0 1700000000000 k=v 1/1 [a=1,b=2] {<a:1><b:2>}\n", consumed.Stdout);
    }

    [Fact]
    public async Task The_last_line_needs_no_newline_and_input_that_does_not_match_the_template_fails_with_exit_1()
    {
        await using CliHarness cli = await CliHarness.StartAsync();
        (await cli.RunAsync("topic", "create", "orders", "-p", "1")).Ok();

        (await cli.RunWithInputAsync("a\nb", "topic", "produce", "orders")).Ok();
        CliResult mismatch = await cli.RunWithInputAsync("[k1] v1\nno brackets\n", "topic", "produce", "orders", "--format", "[%k] %v\\n");
        CliResult consumed = (await cli.RunAsync("topic", "consume", "orders", "-o", "start:end", "-f", "%v\\n")).Ok();

        Assert.Equal(1, mismatch.ExitCode);
        Assert.Contains("input record 2 does not match --format: expected '['", mismatch.Stderr, StringComparison.Ordinal);
        Assert.Equal(["a", "b", "v1"], consumed.Lines);
    }

    [Fact]
    public async Task Tombstone_sends_an_empty_value_as_null()
    {
        await using CliHarness cli = await CliHarness.StartAsync();
        (await cli.RunAsync("topic", "create", "compacted", "-p", "1")).Ok();

        (await cli.RunWithInputAsync("gone \nkept v\n", "topic", "produce", "compacted", "--format", "%k %v\\n", "--tombstone")).Ok();
        CliResult consumed = (await cli.RunAsync("topic", "consume", "compacted", "-n", "2")).Ok();

        JsonElement[] records = [.. consumed.Lines.Select(l => JsonDocument.Parse(l).RootElement)];
        Assert.Equal(JsonValueKind.Null, records[0].GetProperty("value").ValueKind);
        Assert.Equal("v", records[1].GetProperty("value").GetString());
    }

    [Fact]
    public async Task Produce_reads_a_file_with_the_key_partition_and_codec_given()
    {
        await using CliHarness cli = await CliHarness.StartAsync();
        (await cli.RunAsync("topic", "create", "orders", "-p", "2")).Ok();
        string file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, string.Concat(Enumerable.Range(0, 100).Select(i => $"value-{i}\n")));
        try
        {
            (await cli.RunAsync("topic", "produce", "orders", "-f", file, "-k", "same", "-p", "1", "-z", "zstd", "--acks", "1")).Ok();
        }
        finally
        {
            File.Delete(file);
        }

        // acks=1 answers before the fsync that moves the high watermark, so "start:end" could end
        // before the records are readable: wait for the 100 instead.
        CliResult consumed = (await cli.RunAsync("topic", "consume", "orders", "-p", "1", "-o", "start", "-n", "100", "-f", "%k:%v\\n")).Ok();

        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"same:value-{i}"), consumed.Lines);
    }

    [Theory]
    [InlineData("-2", new[] { "v3", "v4" })]
    [InlineData("+3", new[] { "v3", "v4" })]
    [InlineData("1", new[] { "v1", "v2", "v3", "v4" })]
    [InlineData("start", new[] { "v0", "v1", "v2", "v3", "v4" })]
    public async Task Offsets_relative_to_the_start_or_end_or_exact_pick_where_consuming_begins(string offset, string[] expected)
    {
        await using CliHarness cli = await CliHarness.StartAsync();
        (await cli.RunAsync("topic", "create", "orders", "-p", "1")).Ok();
        (await cli.RunWithInputAsync("v0\nv1\nv2\nv3\nv4\n", "topic", "produce", "orders")).Ok();

        CliResult consumed = (await cli.RunAsync("topic", "consume", "orders", "-o", offset + ":end", "-f", "%v\\n")).Ok();

        Assert.Equal(expected, consumed.Lines);
    }

    [Fact]
    public async Task A_timestamp_range_prints_only_the_records_inside_it()
    {
        await using CliHarness cli = await CliHarness.StartAsync();
        (await cli.RunAsync("topic", "create", "orders", "-p", "1")).Ok();
        (await cli.RunWithInputAsync("1000 early\n2000 inside\n2500 inside-too\n3000 late\n", "topic", "produce", "orders", "--format", "%T %v\\n")).Ok();

        CliResult consumed = (await cli.RunAsync("topic", "consume", "orders", "-o", "@2000:3000", "-f", "%v\\n")).Ok();
        CliResult from = (await cli.RunAsync("topic", "consume", "orders", "-o", "@2500:end", "-f", "%v\\n")).Ok();

        Assert.Equal(["inside", "inside-too"], consumed.Lines);
        Assert.Equal(["inside-too", "late"], from.Lines);
    }

    [Fact]
    public async Task Consume_follows_new_records_until_cancelled_and_then_exits_cleanly()
    {
        await using CliHarness cli = await CliHarness.StartAsync();
        (await cli.RunAsync("topic", "create", "live", "-p", "1")).Ok();
        var output = new SharedStream();
        using var stderr = new StringWriter();
        using var stop = new CancellationTokenSource();

        Task<int> consuming = cli.StartAsync(output, stderr, stop.Token, "topic", "consume", "live", "-o", "end", "-f", "%v\\n");
        // The consumer starts at the end: keep producing until one of the records shows up.
        for (int attempt = 0; ; attempt++)
        {
            Assert.True(attempt < 30, "consume never printed a record produced after it started");
            (await cli.RunWithInputAsync("later\n", "topic", "produce", "live")).Ok();
            if (await WithinAsync(() => output.Text.Contains("later\n", StringComparison.Ordinal), TimeSpan.FromSeconds(2)))
            {
                break;
            }
        }
        Assert.False(consuming.IsCompleted);
        await stop.CancelAsync();

        Assert.Equal(0, await consuming);
        Assert.False(consuming.IsFaulted);
    }

    private static async Task<bool> WithinAsync(Func<bool> condition, TimeSpan deadline)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > deadline)
            {
                return false;
            }
            await Task.Delay(5);
        }
        return true;
    }

    [Fact]
    public async Task A_group_consumer_commits_what_it_printed_so_the_next_run_continues_after_it()
    {
        await using CliHarness cli = await CliHarness.StartAsync();
        (await cli.RunAsync("topic", "create", "orders", "-p", "2")).Ok();
        (await cli.RunWithInputAsync(string.Concat(Enumerable.Range(0, 10).Select(i => $"{i % 2} v{i}\n")), "topic", "produce", "orders", "--format", "%p %v\\n")).Ok();

        CliResult first = (await cli.RunAsync("topic", "consume", "orders", "-g", "billing", "-n", "4", "-f", "%v\\n")).Ok();
        CliResult second = (await cli.RunAsync("topic", "consume", "orders", "-g", "billing", "-n", "6", "-f", "%v\\n")).Ok();

        Assert.Equal(4, first.Lines.Length);
        Assert.Equal(6, second.Lines.Length);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"v{i}").Order(), first.Lines.Concat(second.Lines).Order());
    }

    [Fact]
    public async Task Pretty_print_indents_each_record_and_read_committed_still_reads_plain_records()
    {
        await using CliHarness cli = await CliHarness.StartAsync();
        (await cli.RunAsync("topic", "create", "orders", "-p", "1")).Ok();
        (await cli.RunWithInputAsync("one\n", "topic", "produce", "orders")).Ok();

        CliResult pretty = (await cli.RunAsync("topic", "consume", "orders", "-o", "start:end", "--pretty-print", "--read-committed")).Ok();

        Assert.StartsWith("{\n  \"topic\": \"orders\",\n  \"partition\": 0,", pretty.Stdout, StringComparison.Ordinal);
        Assert.Equal("one", JsonDocument.Parse(pretty.Stdout).RootElement.GetProperty("value").GetString());
    }

    [Fact]
    public async Task Binary_values_print_as_base64_in_json()
    {
        await using CliHarness cli = await CliHarness.StartAsync();
        await using (var producer = new Brook.Client.Producing.KafkaProducer(new Brook.Client.Producing.ProducerOptions { BootstrapServers = cli.Broker.BootstrapServers }))
        {
            await producer.ProduceAsync("bin", null, new byte[] { 0xff, 0xfe, 0x00 });
        }

        CliResult consumed = (await cli.RunAsync("topic", "consume", "bin", "-n", "1")).Ok();

        Assert.Equal(Convert.ToBase64String([0xff, 0xfe, 0x00]), JsonDocument.Parse(consumed.Lines[0]).RootElement.GetProperty("value").GetString());
    }

    [Fact]
    public async Task Produce_survives_a_broker_restart_without_losing_or_duplicating_records()
    {
        await using CliHarness cli = await CliHarness.StartAsync();
        (await cli.RunAsync("topic", "create", "durable", "-p", "2")).Ok();
        var input = new System.IO.Pipelines.Pipe();
        Task<CliResult> producing = cli.RunAsync(input.Reader.AsStream(), Brook.Cli.TerminalInfo.None, CancellationToken.None, "topic", "produce", "durable");
        const int total = 2000;
        for (int i = 0; i < total; i++)
        {
            await input.Writer.WriteAsync(Encoding.UTF8.GetBytes($"record-{i}\n"));
            if (i == total / 2)
            {
                // Half is in the producer (some of it in flight) when the broker goes away and comes back.
                await cli.Broker.StopAsync();
                await cli.Broker.StartAgainAsync();
            }
        }
        await input.Writer.CompleteAsync();
        (await producing).Ok();

        await using var consumer = new KafkaConsumer(new ConsumerOptions { BootstrapServers = cli.Broker.BootstrapServers, AutoOffsetReset = AutoOffsetReset.Earliest });
        consumer.Assign([new TopicPartition("durable", 0), new TopicPartition("durable", 1)]);
        var values = new List<string>();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (values.Count < total)
        {
            values.AddRange((await consumer.PollAsync(deadline.Token)).Select(r => Encoding.UTF8.GetString(r.Value!)));
        }
        values.AddRange((await consumer.PollAsync(deadline.Token)).Select(r => Encoding.UTF8.GetString(r.Value!)));

        Assert.Equal(total, values.Count);
        Assert.Equal(Enumerable.Range(0, total).Select(i => $"record-{i}").Order(), values.Order());
    }
}
