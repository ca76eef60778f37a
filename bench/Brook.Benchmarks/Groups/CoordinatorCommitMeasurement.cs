using System.Diagnostics;
using System.Globalization;
using System.Net;
using Brook.Broker.Cluster;
using Brook.Broker.Groups;
using Brook.Protocol.Errors;
using Microsoft.Extensions.Logging.Abstractions;

namespace Brook.Benchmarks.Groups;

/// <summary>
/// The coordinator's own share of a commit, without the network: 100 committers call
/// <see cref="GroupCoordinator.CommitOffsetsAsync"/> of an in-process broker 10 times a second each
/// (1,000/s, every commit appended and fsync'd), and this process's CPU time is read over the run.
/// Usage: <c>groups-coordinator [seconds]</c>.
/// </summary>
public static class CoordinatorCommitMeasurement
{
    private const int Committers = 100;
    private const int PerSecond = 10;

    public static async Task<int> RunAsync(string[] args)
    {
        int seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20;
        string directory = Path.Combine(Path.GetTempPath(), "brook-coordinator-bench-" + Guid.NewGuid().ToString("N"));
        KafkaBroker broker = await KafkaBroker.OpenAsync(1, directory, () => new DnsEndPoint("localhost", 9092),
            new KafkaBrokerOptions { Groups = { OffsetsTopicPartitions = 50 } }, NullLoggerFactory.Instance, TimeProvider.System);
        try
        {
            await broker.CreateTopicAsync("bench", 100, new Dictionary<string, string>(), validateOnly: false, CancellationToken.None);
            await broker.Groups.CommitOffsetsAsync(new OffsetCommitter("bench-group", -1, "", null), [new OffsetCommitEntry("bench", 0, 0, -1, null)], CancellationToken.None);

            TimeSpan idleCpu = await CpuOverAsync(TimeSpan.FromSeconds(seconds), static _ => Task.CompletedTask);
            int failures = 0;
            int done = 0;
            TimeSpan busyCpu = await CpuOverAsync(TimeSpan.FromSeconds(seconds), stop => Task.WhenAll(Enumerable.Range(0, Committers).Select(index => Task.Run(async () =>
            {
                using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(1000.0 / PerSecond));
                await Task.Delay(TimeSpan.FromMilliseconds(index * 1000.0 / PerSecond / Committers));
                long offset = 0;
                while (!stop.IsCancellationRequested && await timer.WaitForNextTickAsync(CancellationToken.None))
                {
                    ErrorCode[] errors = await broker.Groups.CommitOffsetsAsync(new OffsetCommitter("bench-group", -1, "", null),
                        [new OffsetCommitEntry("bench", index, ++offset, -1, null)], CancellationToken.None);
                    if (errors[0] != ErrorCode.None)
                    {
                        Interlocked.Increment(ref failures);
                    }
                    Interlocked.Increment(ref done);
                }
            }))));
            double rate = done / (double)seconds;
            double busy = busyCpu.TotalSeconds / seconds * 100;
            double idle = idleCpu.TotalSeconds / seconds * 100;
            double perCommitUs = (busyCpu - idleCpu).TotalMilliseconds * 1000 / Math.Max(done, 1);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"coordinator only: {done} commits in {seconds} s = {rate:F0}/s, {failures} errors; CPU {busy:F1}% of one core (idle {idle:F1}%), {perCommitUs:F0} us per commit including the committers' own loop"));
            return 0;
        }
        finally
        {
            await broker.DisposeAsync();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<TimeSpan> CpuOverAsync(TimeSpan duration, Func<CancellationToken, Task> load)
    {
        using var stop = new CancellationTokenSource();
        TimeSpan before = Process.GetCurrentProcess().TotalProcessorTime;
        Task running = load(stop.Token);
        await Task.Delay(duration);
        TimeSpan after = Process.GetCurrentProcess().TotalProcessorTime;
        await stop.CancelAsync();
        await running;
        return after - before;
    }
}
