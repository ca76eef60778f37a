using System.Diagnostics;
using System.Globalization;

namespace Brook.Benchmarks.Transactions;

/// <summary>
/// <c>dotnet Brook.Benchmarks.dll transactions HOST:PORT TOPIC SECONDS</c>: one transactional
/// producer on Brook's own connection commits transactions of 100 x 1 KiB to partition 0 back to
/// back (<see cref="RawTransactionalProducer"/>). Prints commits/s and latency percentiles as JSON.
/// </summary>
public static class TransactionCommitRun
{
    public static async Task RunAsync(string[] args)
    {
        double seconds = double.Parse(args[2], CultureInfo.InvariantCulture);
        await using RawTransactionalProducer producer = await RawTransactionalProducer.ConnectAsync(args[0], "bench-raw-txn", args[1]);
        var latencies = new List<double>();
        var total = Stopwatch.StartNew();
        int warmup = 20;
        while (total.Elapsed.TotalSeconds < seconds || warmup > 0)
        {
            long start = Stopwatch.GetTimestamp();
            await producer.RunTransactionAsync(0, commit: true);
            if (warmup > 0)
            {
                warmup--;
                if (warmup == 0)
                {
                    total.Restart();
                    Array.Clear(producer.PhaseTicks);
                }
                continue;
            }
            latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        double elapsed = total.Elapsed.TotalSeconds;
        latencies.Sort();
        double Percentile(double q) => Math.Round(latencies[Math.Min(latencies.Count - 1, (int)(q * latencies.Count))], 2);
        double MeanMs(int phase) => Math.Round(producer.PhaseTicks[phase] * 1000.0 / Stopwatch.Frequency / latencies.Count, 3);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"client\": \"brook-raw\", \"commits\": {latencies.Count}, \"seconds\": {elapsed:F2}, \"commits_per_s\": {latencies.Count / elapsed:F1}, \"p50_ms\": {Percentile(0.5)}, \"p99_ms\": {Percentile(0.99)}, \"max_ms\": {Percentile(1.0)}, \"mean_add_ms\": {MeanMs(0)}, \"mean_produce_ms\": {MeanMs(1)}, \"mean_end_ms\": {MeanMs(2)}}}"));
    }
}
