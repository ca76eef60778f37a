using System.Diagnostics;
using System.Globalization;
using Brook.Client;
using Brook.Client.Admin;

namespace Brook.Benchmarks.Groups;

/// <summary>
/// Group coordinator speed through the wire against a running broker (bench/groups.sh starts one):
/// (1) a classic rebalance of 10 members over 100 partitions, timed from the last JoinGroup sent
/// to the last member holding its SyncGroup assignment; (2) 1,000 offset commits a second from
/// 100 members of one Stable group, with the broker process's CPU time read from /proc.
/// Usage: <c>groups host:port broker-pid [rebalance-rounds] [commit-seconds] [commit-warmup-seconds]</c>.
/// </summary>
public static class GroupsMeasurement
{
    private const int RebalanceMembers = 10;
    private const int Partitions = 100;
    private const int CommitMembers = 100;
    private const int CommitsPerMemberPerSecond = 10;
    private const double ClockTicksPerSecond = 100;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length < 2)
        {
            Console.Error.WriteLine("usage: groups host:port broker-pid [rebalance-rounds] [commit-seconds] [commit-warmup-seconds]");
            return 2;
        }
        string[] address = args[0].Split(':');
        string host = address[0];
        int port = int.Parse(address[1], CultureInfo.InvariantCulture);
        int pid = int.Parse(args[1], CultureInfo.InvariantCulture);
        int rounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5;
        int seconds = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 20;
        int warmupSeconds = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 0;
        string suffix = DateTime.UtcNow.Ticks.ToString(CultureInfo.InvariantCulture);
        string topic = "bench-groups-" + suffix;
        await using (var admin = new KafkaAdminClient(new KafkaClientOptions { BootstrapServers = args[0] }))
        {
            await admin.CreateTopicAsync(new NewTopic(topic, Partitions));
        }

        var times = new List<double>();
        for (int round = 0; round < rounds; round++)
        {
            times.Add(await RebalanceAsync(host, port, "bench-rebalance-" + suffix + "-" + round, topic));
        }
        times.Sort();
        if (rounds > 0)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"rebalance {RebalanceMembers} members x {Partitions} partitions, last join -> all Stable with assignments: min {times[0]:F1} ms, median {times[times.Count / 2]:F1} ms, max {times[^1]:F1} ms ({rounds} rounds)"));
        }

        await CommitLoadAsync(host, port, pid, "bench-commits-" + suffix, topic, seconds, warmupSeconds);
        return 0;
    }

    private static async Task<double> RebalanceAsync(string host, int port, string groupId, string topic)
    {
        var members = new List<ClassicBenchMember>();
        for (int i = 0; i < RebalanceMembers; i++)
        {
            members.Add(await ClassicBenchMember.ConnectAsync(host, port, groupId, topic, Partitions));
        }
        try
        {
            await Task.WhenAll(members.Select(m => m.GetMemberIdAsync()));
            long lastJoin = 0;
            long lastStable = 0;
            var gate = new Lock();
            await Task.WhenAll(members.Select(m => Task.Run(async () =>
            {
                Task joining = m.JoinAndSyncAsync();
                lock (gate)
                {
                    lastJoin = Math.Max(lastJoin, Stopwatch.GetTimestamp());
                }
                await joining;
                lock (gate)
                {
                    lastStable = Math.Max(lastStable, Stopwatch.GetTimestamp());
                }
            })));
            int assigned = members.Sum(m => m.Assigned.Count);
            if (assigned != Partitions || members.Exists(m => m.Assigned.Count != Partitions / RebalanceMembers))
            {
                throw new InvalidOperationException($"assignments cover {assigned} partitions, expected {Partitions} evenly");
            }
            return Stopwatch.GetElapsedTime(lastJoin, lastStable).TotalMilliseconds;
        }
        finally
        {
            foreach (ClassicBenchMember member in members)
            {
                await member.DisposeAsync();
            }
        }
    }

    private static async Task CommitLoadAsync(string host, int port, int pid, string groupId, string topic, int seconds, int warmupSeconds)
    {
        var members = new List<ClassicBenchMember>();
        for (int i = 0; i < CommitMembers; i++)
        {
            members.Add(await ClassicBenchMember.ConnectAsync(host, port, groupId, topic, Partitions));
        }
        try
        {
            await Task.WhenAll(members.Select(m => m.GetMemberIdAsync()));
            await Task.WhenAll(members.Select(m => m.JoinAndSyncAsync()));

            if (warmupSeconds > 0)
            {
                // The first seconds of load pay the JIT's tier-up of the commit path (hundreds of ms
                // on the tiering thread); reported on their own so the measured figure is the steady state.
                var warmup = new CommitStatistics();
                double cold = await BrokerCpuAsync(pid, TimeSpan.FromSeconds(warmupSeconds), stop => CommitAsync(members, warmup, stop));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"warm-up: {warmup.Count} commits in {warmupSeconds} s, broker CPU {cold * 100:F1}% of one core (JIT tier-up included)"));
            }

            // Baseline: the same 100 connected members, idle, for the same time.
            double idle = await BrokerCpuAsync(pid, TimeSpan.FromSeconds(seconds), static _ => Task.CompletedTask);

            var measured = new CommitStatistics();
            Dictionary<string, long> threadsBefore = CpuTicksByThreadName(pid);
            double busy = await BrokerCpuAsync(pid, TimeSpan.FromSeconds(seconds), stop => CommitAsync(members, measured, stop));
            Dictionary<string, long> threadsAfter = CpuTicksByThreadName(pid);
            List<double> all = measured.Latencies();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"commits: {all.Count} from {CommitMembers} members in {seconds} s = {all.Count / (double)seconds:F0}/s, {measured.Failures} errors; latency p50 {all[all.Count / 2]:F2} ms, p99 {all[(int)(all.Count * 0.99)]:F2} ms"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"broker CPU: {busy * 100:F1}% of one core while committing, {idle * 100:F1}% idle with the same members connected; commits cost {(busy - idle) * 100:F1}% of one core"));
            // The client may fall short of 1,000/s on a loaded machine: per commit, scaled to 1,000/s, compares runs.
            double perCommitUs = (busy - idle) * seconds * 1e6 / Math.Max(all.Count, 1);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"per commit: {perCommitUs:F0} us of broker CPU = {perCommitUs * CommitMembers * CommitsPerMemberPerSecond / 1e4:F1}% of one core at {CommitMembers * CommitsPerMemberPerSecond}/s"));
            Console.WriteLine("broker CPU by thread name while committing (ms, live threads only): " + string.Join(", ", threadsAfter
                .Select(t => (t.Key, Ms: (t.Value - threadsBefore.GetValueOrDefault(t.Key)) * 1000 / (long)ClockTicksPerSecond))
                .Where(t => t.Ms > 0)
                .OrderByDescending(t => t.Ms)
                .Select(t => $"{t.Key} {t.Ms}")));
        }
        finally
        {
            foreach (ClassicBenchMember member in members)
            {
                await member.DisposeAsync();
            }
        }
    }

    /// <summary>Each member commits 10 times a second until <paramref name="stop"/>, spread over the period.</summary>
    private static Task CommitAsync(List<ClassicBenchMember> members, CommitStatistics statistics, CancellationToken stop) =>
        Task.WhenAll(members.Select((member, index) => Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(1000.0 / CommitsPerMemberPerSecond));
            // Spread the members over the period so the load is even, as independent consumers would be.
            await Task.Delay(TimeSpan.FromMilliseconds(index * 1000.0 / CommitsPerMemberPerSecond / CommitMembers));
            while (!stop.IsCancellationRequested && await timer.WaitForNextTickAsync(CancellationToken.None))
            {
                long started = Stopwatch.GetTimestamp();
                short error = await member.CommitAsync(member.Assigned[0], member.NextOffset());
                statistics.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds, error);
            }
        })));

    private sealed class CommitStatistics
    {
        private readonly Lock _lock = new();
        private readonly List<double> _latencies = [];

        public int Failures { get; private set; }

        public int Count
        {
            get
            {
                lock (_lock)
                {
                    return _latencies.Count;
                }
            }
        }

        public void Add(double milliseconds, short error)
        {
            lock (_lock)
            {
                _latencies.Add(milliseconds);
                Failures += error != 0 ? 1 : 0;
            }
        }

        public List<double> Latencies()
        {
            lock (_lock)
            {
                var sorted = new List<double>(_latencies);
                sorted.Sort();
                return sorted;
            }
        }
    }

    /// <summary>Runs <paramref name="load"/> for <paramref name="duration"/> and returns the broker's CPU time over that wall time (1.0 = one core).</summary>
    private static async Task<double> BrokerCpuAsync(int pid, TimeSpan duration, Func<CancellationToken, Task> load)
    {
        using var stop = new CancellationTokenSource();
        long before = CpuTicks(pid);
        long started = Stopwatch.GetTimestamp();
        Task running = load(stop.Token);
        await Task.Delay(duration);
        long after = CpuTicks(pid);
        double wall = Stopwatch.GetElapsedTime(started).TotalSeconds;
        await stop.CancelAsync();
        await running;
        return (after - before) / ClockTicksPerSecond / wall;
    }

    /// <summary>
    /// utime + stime of each live thread of the process, summed by thread name (/proc/pid/task/*/stat),
    /// to see which threads a commit's CPU goes to: socket I/O, thread-pool workers, fsync workers.
    /// </summary>
    private static Dictionary<string, long> CpuTicksByThreadName(int pid)
    {
        var byName = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (string task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(task, "stat"));
            }
            catch (IOException)
            {
                continue; // the thread exited
            }
            int open = stat.IndexOf('(', StringComparison.Ordinal);
            int close = stat.LastIndexOf(')');
            string name = stat[(open + 1)..close];
            string[] fields = stat[(close + 2)..].Split(' ');
            long ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            byName[name] = byName.GetValueOrDefault(name) + ticks;
        }
        return byName;
    }

    /// <summary>utime + stime of the process (fields 14 and 15 of /proc/pid/stat), in clock ticks.</summary>
    private static long CpuTicks(int pid)
    {
        string stat = File.ReadAllText($"/proc/{pid}/stat");
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }
}
