using System.Diagnostics;
using System.Globalization;
using Brook.Cli;
using Brook.Client.Admin;
using Brook.Protocol.Errors;

namespace Brook.Commands;

/// <summary><c>brook bench produce|consume|e2e</c>: throughput and latency in the spirit of kafka-producer-perf-test.</summary>
public static class BenchCommands
{
    public static CliCommand Create()
    {
        var bench = new CliCommand("bench", "measure produce, consume and end-to-end throughput and latency");
        bench.Add(WithCommon(new CliCommand("produce", "produce records as fast as allowed; prints throughput and delivery latency percentiles"), produce: true)
            .Example("brook bench produce --record-size 1024 --records 1000000 --acks all")
            .Runs(BenchProduce.RunAsync));
        bench.Add(WithCommon(new CliCommand("consume", "read a topic from the start; prints throughput"), produce: false)
            .Example("brook bench consume --topic brook-bench --records 1000000")
            .Runs(BenchConsume.RunAsync));
        bench.Add(WithCommon(new CliCommand("e2e", "produce and consume at once; prints end-to-end latency percentiles (produce to consume)"), produce: true)
            .Example("brook bench e2e --rate 10000 --duration 30s")
            .Runs(BenchEndToEnd.RunAsync));
        return bench;
    }

    private static CliCommand WithCommon(CliCommand command, bool produce)
    {
        command.With(CliOption.Value("--topic", "TOPIC", "the topic (created if missing)", "-t") with { Default = "brook-bench" })
            .With(CliOption.Value("--records", "N", "how many records (0: until --duration)", "-n") with { Default = "1000000" })
            .With(CliOption.Value("--duration", "TIME", "stop after this long (10s, 2m); 0: no limit", "-d") with { Default = "0" })
            .With(CliOption.Value("--partitions", "N", "partitions when the topic is created", "-p") with { Default = "1" });
        if (produce)
        {
            command.With(CliOption.Value("--record-size", "BYTES", "value size of each record", "-s") with { Default = "1024" })
                .With(CliOption.Value("--rate", "N", "records per second at most (0: unlimited)") with { Default = "0" })
                .With(new CliOption("--acks", "acknowledgements to wait for") { ValueName = "ACKS", Choices = ["all", "-1", "1", "0"], Default = "all" })
                .With(new CliOption("--compression", "compression codec") { Alias = "-z", ValueName = "CODEC", Choices = ["none", "gzip", "snappy", "lz4", "zstd"], Default = "none" })
                .With(CliOption.Value("--linger-ms", "MS", "how long a batch waits for more records") with { Default = "5" })
                .With(CliOption.Value("--batch-size", "BYTES", "largest batch per partition") with { Default = "1048576" })
                .With(CliOption.Value("--max-in-flight", "N", "batches in flight per partition (at most 5 with idempotence)") with { Default = "5" })
                .With(CliOption.Flag("--no-idempotence", "acks=all without the idempotent producer (as librdkafka's default)"));
        }
        return command.With(Output.FormatOption);
    }

    public static async Task EnsureTopicAsync(CliContext context, string topic, int partitions)
    {
        await using KafkaAdminClient admin = context.CreateAdmin();
        IReadOnlyList<CreatedTopic> created = await admin.CreateTopicsAsync([new NewTopic(topic, partitions)], cancellationToken: context.Cancellation);
        if (created[0].Error is not (ErrorCode.None or ErrorCode.TopicAlreadyExists))
        {
            throw new CliException($"cannot create {topic}: {TopicCommands.Describe(created[0].Error, created[0].ErrorMessage)}");
        }
    }

    public static TimeSpan ParseDuration(string? text)
    {
        if (text is null or "0")
        {
            return TimeSpan.Zero;
        }
        if (text.Length > 1 && double.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.Float, CultureInfo.InvariantCulture, out double amount))
        {
            switch (text[^1])
            {
                case 's':
                    return TimeSpan.FromSeconds(amount);
                case 'm':
                    return TimeSpan.FromMinutes(amount);
                case 'h':
                    return TimeSpan.FromHours(amount);
            }
        }
        throw new UsageException($"'{text}' is not a duration (10s, 2m, 1h)");
    }

    /// <summary>Prints a "\r..." progress line on a terminal, at most once a second.</summary>
    public sealed class Progress(CliContext context, string verb)
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private long _lastPrint;

        public void Update(long records, long bytes)
        {
            if (!context.Terminal.IsTerminal || _clock.ElapsedMilliseconds - _lastPrint < 1000)
            {
                return;
            }
            _lastPrint = _clock.ElapsedMilliseconds;
            double seconds = _clock.Elapsed.TotalSeconds;
            context.Error.Write(string.Create(CultureInfo.InvariantCulture,
                $"\r{verb} {records:N0} records  {records / seconds:N0} rec/s  {bytes / seconds / 1048576:N1} MiB/s   "));
            context.Error.Flush();
        }

        public void Done()
        {
            if (context.Terminal.IsTerminal && _lastPrint > 0)
            {
                context.Error.Write("\r" + new string(' ', 72) + "\r");
                context.Error.Flush();
            }
        }
    }

    /// <summary>Writes the result: records, bytes, seconds, rates and latency percentiles (milliseconds).</summary>
    public static void Report(CliContext context, string what, long records, long bytes, TimeSpan elapsed, LatencyHistogram? latency, string latencyName)
    {
        double seconds = Math.Max(elapsed.TotalSeconds, 1e-9);
        var data = Output.Map(("bench", what), ("records", records), ("bytes", bytes), ("seconds", Math.Round(seconds, 3)),
            ("records_per_second", Math.Round(records / seconds, 1)), ("mib_per_second", Math.Round(bytes / seconds / 1048576, 2)));
        if (latency is not null && latency.Count > 0)
        {
            data[latencyName] = Output.Map(("p50", Ms(latency.Percentile(50))), ("p95", Ms(latency.Percentile(95))), ("p99", Ms(latency.Percentile(99))),
                ("p99_9", Ms(latency.Percentile(99.9))), ("max", Ms(latency.Max)));
        }
        Output.Write(context, data, o =>
        {
            o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{what}: {records:N0} records, {bytes / 1048576.0:N1} MiB in {seconds:N2} s = {records / seconds:N0} records/s, {bytes / seconds / 1048576:N1} MiB/s"));
            if (latency is not null && latency.Count > 0)
            {
                o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{latencyName} (ms): p50 {Ms(latency.Percentile(50))}  p95 {Ms(latency.Percentile(95))}  p99 {Ms(latency.Percentile(99))}  p99.9 {Ms(latency.Percentile(99.9))}  max {Ms(latency.Max)}"));
            }
        });
    }

    private static double Ms(long micros) => Math.Round(micros / 1000.0, 3);
}
