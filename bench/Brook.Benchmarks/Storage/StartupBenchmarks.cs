using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using Brook.Storage;

namespace Brook.Benchmarks.Storage;

/// <summary>
/// Start-up of a data directory after a clean shutdown: 1,000 partitions holding 10 GB in all
/// (BROOK_BENCH_STARTUP_GB changes the total). Measures <see cref="LogManager.Open"/> only.
/// </summary>
[Config(typeof(StartupConfig))]
public class StartupBenchmarks
{
    private const int Partitions = 1000;
    private string _directory = "";
    private LogManager? _manager;

    [GlobalSetup]
    public void Setup()
    {
        double gigabytes = double.Parse(Environment.GetEnvironmentVariable("BROOK_BENCH_STARTUP_GB") ?? "10", CultureInfo.InvariantCulture);
        long perPartition = (long)(gigabytes * 1e9 / Partitions);
        _directory = StorageBench.NewDirectory("startup");
        var batch = StorageBench.Batch(1024 * 1024);
        var manager = LogManager.Open(new LogManagerOptions { DataDirectory = _directory, RunBackgroundTasks = false });
        for (int p = 0; p < Partitions; p++)
        {
            var log = manager.GetOrCreateLog(new TopicPartition("bench", p));
            for (long written = 0; written < perPartition; written += batch.Length)
            {
                log.Append(batch, 0);
            }
        }
        manager.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Description = "open 1,000 partitions after a clean shutdown")]
    public int OpenAfterCleanShutdown()
    {
        _manager = LogManager.Open(new LogManagerOptions { DataDirectory = _directory, RunBackgroundTasks = false });
        return _manager.Logs.Count;
    }

    [IterationCleanup]
    public void Close()
    {
        _manager?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _manager = null;
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_directory, recursive: true);

    public sealed class StartupConfig : ManualConfig
    {
        public StartupConfig() =>
            AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(5).WithInvocationCount(1).WithUnrollFactor(1));
    }
}
