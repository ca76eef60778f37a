using System.Text.Json;
using Brook.Cli.Tests.Support;

namespace Brook.Cli.Tests;

public sealed class BenchCommandTests
{
    [Fact]
    public async Task Bench_produce_then_consume_report_the_records_bytes_and_produce_latency()
    {
        await using CliHarness cli = await CliHarness.StartAsync();

        JsonElement produce = (await cli.RunAsync("bench", "produce", "--records", "2000", "--record-size", "100", "--partitions", "2", "--format", "json")).Ok().Json;
        CliResult consumeText = (await cli.RunAsync("bench", "consume", "--records", "0", "--duration", "60s")).Ok();

        Assert.Equal(2000, produce.GetProperty("records").GetInt64());
        Assert.Equal(200_000, produce.GetProperty("bytes").GetInt64());
        Assert.True(produce.GetProperty("records_per_second").GetDouble() > 0);
        JsonElement latency = produce.GetProperty("delivery_latency");
        Assert.True(latency.GetProperty("p50").GetDouble() <= latency.GetProperty("p99").GetDouble());
        Assert.True(latency.GetProperty("p99").GetDouble() <= latency.GetProperty("max").GetDouble());
        Assert.StartsWith("consume: 2,000 records, 0.2 MiB in ", consumeText.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bench_e2e_receives_every_record_it_produced_and_reports_end_to_end_latency()
    {
        await using CliHarness cli = await CliHarness.StartAsync();

        CliResult e2e = (await cli.RunAsync("bench", "e2e", "--records", "500", "--record-size", "64", "--rate", "5000", "--topic", "e2e")).Ok();

        Assert.StartsWith("e2e: 500 records", e2e.Lines[0], StringComparison.Ordinal);
        Assert.StartsWith("end_to_end_latency (ms): p50 ", e2e.Lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Latency_percentiles_come_from_the_recorded_values()
    {
        var histogram = new Brook.Commands.LatencyHistogram();
        for (int i = 1; i <= 1000; i++)
        {
            histogram.Record(i * 10);
        }

        Assert.Equal(1000, histogram.Count);
        Assert.InRange(histogram.Percentile(50), 4500, 5000);
        Assert.InRange(histogram.Percentile(99), 9000, 9900);
        Assert.Equal(10_000, histogram.Max);
    }
}
