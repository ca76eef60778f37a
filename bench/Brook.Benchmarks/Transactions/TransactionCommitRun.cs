using System.Diagnostics;
using System.Globalization;

namespace Brook.Benchmarks.Transactions;

/// <summary>
/// <c>dotnet Brook.Benchmarks.dll transactions HOST:PORT TOPIC SECONDS [PRODUCERS]</c>: transactional
/// producers on Brook's own connections (<see cref="RawTransactionalProducer"/>, one connection and
/// transactional id each, default one) each commit transactions of 100 x 1 KiB to partition 0
/// back to back. Prints the commits/s of all of them together, latency percentiles and the mean
/// time of each request as JSON.
/// </summary>
public static class TransactionCommitRun
{
    // A fresh broker (and client) runs tier-0 and instrumented JIT code for seconds: warm up by
    // time, not by a count of commits, so the measured window sees the steady state.
    private const double WarmupSeconds = 3;

    public static async Task RunAsync(string[] args)
    {
        double seconds = double.Parse(args[2], CultureInfo.InvariantCulture);
        int count = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 1;
        var producers = new RawTransactionalProducer[count];
        for (int i = 0; i < count; i++)
        {
            producers[i] = await RawTransactionalProducer.ConnectAsync(args[0], count == 1 ? "bench-raw-txn" : $"bench-raw-txn-{i}", args[1]);
        }
        try
        {
            // Everyone warms up before anyone is measured, so the measured window has all producers in it.
            await Task.WhenAll(producers.Select(producer => CommitAsync(producer, WarmupSeconds)));
            foreach (RawTransactionalProducer producer in producers)
            {
                Array.Clear(producer.PhaseTicks);
            }
            var total = Stopwatch.StartNew();
            List<double>[] perProducer = await Task.WhenAll(producers.Select(producer => CommitAsync(producer, seconds)));
            double elapsed = total.Elapsed.TotalSeconds;
            var latencies = perProducer.SelectMany(list => list).ToList();
            latencies.Sort();
            double Percentile(double q) => Math.Round(latencies[Math.Min(latencies.Count - 1, (int)(q * latencies.Count))], 2);
            double MeanMs(int phase) => Math.Round(producers.Sum(producer => producer.PhaseTicks[phase]) * 1000.0 / Stopwatch.Frequency / latencies.Count, 3);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{{\"client\": \"brook-raw\", \"producers\": {count}, \"commits\": {latencies.Count}, \"seconds\": {elapsed:F2}, \"commits_per_s\": {latencies.Count / elapsed:F1}, \"p50_ms\": {Percentile(0.5)}, \"p99_ms\": {Percentile(0.99)}, \"max_ms\": {Percentile(1.0)}, \"mean_add_ms\": {MeanMs(0)}, \"mean_produce_ms\": {MeanMs(1)}, \"mean_end_ms\": {MeanMs(2)}}}"));
        }
        finally
        {
            foreach (RawTransactionalProducer producer in producers)
            {
                await producer.DisposeAsync();
            }
        }
    }

    /// <summary>Commits back to back until <paramref name="seconds"/> pass; the latency of each, in ms.</summary>
    private static async Task<List<double>> CommitAsync(RawTransactionalProducer producer, double seconds)
    {
        var latencies = new List<double>();
        var total = Stopwatch.StartNew();
        while (total.Elapsed.TotalSeconds < seconds)
        {
            long start = Stopwatch.GetTimestamp();
            await producer.RunTransactionAsync(0, commit: true);
            latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        return latencies;
    }
}
