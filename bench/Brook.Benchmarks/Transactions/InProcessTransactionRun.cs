using System.Diagnostics;
using System.Globalization;
using System.Net;
using Brook.Broker.Cluster;
using Brook.Broker.Partitions;
using Brook.Broker.Transactions;
using Brook.Protocol.Errors;
using Microsoft.Extensions.Logging.Abstractions;

namespace Brook.Benchmarks.Transactions;

/// <summary>
/// <c>dotnet Brook.Benchmarks.dll transactions-inprocess DATA_ROOT SECONDS</c>: the broker's own
/// share of a commit, without the network: one producer calls the transaction coordinator and the
/// partition of an in-process broker directly (AddPartitions, append of 100 x 1 KiB and wait for
/// it to be committed, EndTxn), back to back. Prints commits/s, the mean time of each step and
/// the process CPU per commit as JSON.
/// </summary>
public static class InProcessTransactionRun
{
    public static async Task RunAsync(string[] args)
    {
        string directory = Path.Combine(args[0], "brook-txn-inprocess-" + Guid.NewGuid().ToString("N"));
        double seconds = double.Parse(args[1], CultureInfo.InvariantCulture);
        KafkaBroker broker = await KafkaBroker.OpenAsync(1, directory, () => new DnsEndPoint("localhost", 9092),
            new KafkaBrokerOptions(), NullLoggerFactory.Instance, TimeProvider.System);
        try
        {
            await broker.CreateTopicAsync("txn-bench", 1, new Dictionary<string, string>(), validateOnly: false, CancellationToken.None);
            PartitionLeader partition = broker.FindPartition("txn-bench", 0)!;
            TransactionCoordinator coordinator = broker.Transactions;
            InitProducerIdResult init = await coordinator.InitProducerIdAsync("bench-inprocess", 60_000, -1, -1, CancellationToken.None);
            Check(init.Error, "InitProducerId");
            (string, int)[] partitions = [("txn-bench", 0)];
            int sequence = 0;
            var phases = new long[3];
            int commits = 0;
            var total = Stopwatch.StartNew();
            TimeSpan cpuStart = TimeSpan.Zero;
            long workItemsStart = 0;
            long switchesStart = 0;
            bool warm = false;
            while (!warm || total.Elapsed.TotalSeconds < seconds)
            {
                if (!warm && total.Elapsed.TotalSeconds >= 3)
                {
                    // JIT tiering settles in the first seconds: measure after them.
                    warm = true;
                    total.Restart();
                    Array.Clear(phases);
                    commits = 0;
                    cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
                    workItemsStart = ThreadPool.CompletedWorkItemCount;
                    switchesStart = ContextSwitches();
                }
                // Built outside the timed steps (the CRC covers the sequence).
                byte[] batch = RawTransactionalProducer.Batch(init.ProducerId, init.ProducerEpoch, sequence);
                sequence += RawTransactionalProducer.Records;
                long t0 = Stopwatch.GetTimestamp();
                Check(await coordinator.AddPartitionsAsync("bench-inprocess", init.ProducerId, init.ProducerEpoch, partitions, CancellationToken.None), "AddPartitions");
                long t1 = Stopwatch.GetTimestamp();
                AppendOutcome outcome = partition.Append(batch);
                Check(outcome.Error, "Append");
                Check(await partition.WaitUntilCommittedAsync(outcome.EndOffset, CancellationToken.None), "Commit of the data");
                long t2 = Stopwatch.GetTimestamp();
                Check(await coordinator.EndTransactionAsync("bench-inprocess", init.ProducerId, init.ProducerEpoch, commit: true, CancellationToken.None), "EndTxn");
                long t3 = Stopwatch.GetTimestamp();
                phases[0] += t1 - t0;
                phases[1] += t2 - t1;
                phases[2] += t3 - t2;
                commits++;
            }
            double elapsed = total.Elapsed.TotalSeconds;
            double cpuUs = (Process.GetCurrentProcess().TotalProcessorTime - cpuStart).TotalMilliseconds * 1000 / commits;
            double workItems = (ThreadPool.CompletedWorkItemCount - workItemsStart) / (double)commits;
            double switches = (ContextSwitches() - switchesStart) / (double)commits;
            double MeanMs(int phase) => Math.Round(phases[phase] * 1000.0 / Stopwatch.Frequency / commits, 3);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{{\"client\": \"in-process\", \"commits\": {commits}, \"seconds\": {elapsed:F2}, \"commits_per_s\": {commits / elapsed:F1}, \"cpu_us_per_commit\": {cpuUs:F0}, \"pool_items_per_commit\": {workItems:F2}, \"context_switches_per_commit\": {switches:F1}, \"mean_add_ms\": {MeanMs(0)}, \"mean_append_ms\": {MeanMs(1)}, \"mean_end_ms\": {MeanMs(2)}}}"));
        }
        finally
        {
            await broker.DisposeAsync();
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Voluntary and involuntary context switches of all this process's threads so far (Linux; 0 elsewhere).</summary>
    private static long ContextSwitches()
    {
        long total = 0;
        if (!Directory.Exists("/proc/self/task"))
        {
            return 0;
        }
        foreach (string task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            try
            {
                foreach (string line in File.ReadLines(Path.Combine(task, "status")))
                {
                    if (line.Contains("ctxt_switches:", StringComparison.Ordinal))
                    {
                        total += long.Parse(line.AsSpan(line.IndexOf(':', StringComparison.Ordinal) + 1).Trim(), CultureInfo.InvariantCulture);
                    }
                }
            }
            catch (IOException)
            {
                // The thread ended meanwhile.
            }
        }
        return total;
    }

    private static void Check(ErrorCode error, string step)
    {
        if (error != ErrorCode.None)
        {
            throw new InvalidOperationException($"{step} failed with {error}");
        }
    }
}
