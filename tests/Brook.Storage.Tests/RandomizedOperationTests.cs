using System.Globalization;
using Brook.Storage.Tests.Support;
using Xunit.Abstractions;

namespace Brook.Storage.Tests;

/// <summary>
/// Random operations against the log and an in-memory model of what it must hold. A failure
/// prints its seed; set BROOK_STORAGE_SEED to that value to replay exactly that run.
/// </summary>
public sealed class RandomizedOperationTests(ITestOutputHelper output)
{
    public static TheoryData<int> Seeds()
    {
        string? fixedSeed = Environment.GetEnvironmentVariable("BROOK_STORAGE_SEED");
        if (fixedSeed is not null)
        {
            return new TheoryData<int>(int.Parse(fixedSeed, CultureInfo.InvariantCulture));
        }
        return new TheoryData<int>(1, 2, 3, Environment.TickCount & 0xFFFF);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void The_log_matches_a_model_under_random_operations(int seed)
    {
        output.WriteLine($"seed {seed} (replay with BROOK_STORAGE_SEED={seed})");
        try
        {
            Run(seed, operations: 300);
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"randomized log test failed with seed {seed} (replay with BROOK_STORAGE_SEED={seed})", e);
        }
    }

    private void Run(int seed, int operations)
    {
        var random = new Random(seed);
        var config = LogConfig.Default.WithCleanupPolicy("compact,delete") with { SegmentBytes = 700, IndexIntervalBytes = 100, RetentionMs = -1 };
        using var scenario = LogScenario.Start(config);
        var model = new SortedDictionary<long, ReadRecord>();
        long logStart = 0;
        long logEnd = 0;
        var history = new Queue<string>();
        string operation = "start";
        for (int step = 0; step < operations; step++)
        {
            try
            {
                (logStart, logEnd, operation) = Step(random, scenario, config, model, logStart, logEnd, step);
            }
            catch (Exception e) when (e is not InvalidOperationException)
            {
                throw new InvalidOperationException($"step {step}, after: {string.Join(" | ", history)}", e);
            }
            history.Enqueue(operation);
            if (history.Count > 12)
            {
                history.Dequeue();
            }
        }
        Assert.Equal(model.Values.ToList(), Normalise(scenario.ReadAll()));
    }

    private static (long LogStart, long LogEnd, string Operation) Step(Random random, LogScenario scenario, LogConfig config, SortedDictionary<long, ReadRecord> model, long logStart, long logEnd, int step)
    {
        {
            int choice = random.Next(100);
            string operation;
            if (choice < 50)
            {
                int count = random.Next(1, 5);
                var records = new List<TestRecord>();
                for (int i = 0; i < count; i++)
                {
                    records.Add(new TestRecord($"k{random.Next(12)}", random.Next(8) == 0 ? null : $"v{step}-{i}"));
                }
                var result = scenario.Log.Append(TestBatches.Build(records), 0);
                Assert.Equal(logEnd, result.FirstOffset);
                for (int i = 0; i < count; i++)
                {
                    model[logEnd + i] = new ReadRecord(logEnd + i, records[i].Key, records[i].Value, 1000, 0);
                }
                logEnd += count;
                operation = $"append {count}";
            }
            else if (choice < 62)
            {
                long from = logStart + random.NextInt64(Math.Max(1, logEnd - logStart + 1));
                CheckReadFrom(scenario, model, from);
                operation = $"read from {from}";
            }
            else if (choice < 68)
            {
                long target = logStart + random.NextInt64(Math.Max(1, logEnd - logStart + 1));
                long newEnd = scenario.Log.TruncateTo(target);
                Assert.True(newEnd <= target || target >= logEnd, $"truncate to {target} ended at {newEnd}");
                foreach (long offset in model.Keys.Where(o => o >= newEnd).ToList())
                {
                    model.Remove(offset);
                }
                logEnd = newEnd;
                logStart = scenario.Log.LogStartOffset;
                operation = $"truncate to {target} -> {newEnd}";
            }
            else if (choice < 75)
            {
                scenario.Roll();
                operation = "roll";
            }
            else if (choice < 80)
            {
                long target = logStart + random.NextInt64(Math.Max(1, logEnd - logStart + 1));
                Assert.Equal(StorageErrorCode.None, scenario.Log.DeleteRecords(target).Error);
                logStart = Math.Max(logStart, target);
                RemoveBelow(model, logStart);
                operation = $"delete records below {target}";
            }
            else if (choice < 85)
            {
                long limit = random.Next(500, 3000);
                scenario.Reconfigure(config with { RetentionBytes = limit }).RunRetention().Reconfigure(config);
                Assert.True(scenario.Log.LogStartOffset >= logStart);
                logStart = scenario.Log.LogStartOffset;
                RemoveBelow(model, logStart);
                operation = $"retain {limit} bytes";
            }
            else if (choice < 92)
            {
                scenario.Compact();
                CheckCompaction(scenario, model);
                operation = "compact";
            }
            else if (choice < 96)
            {
                scenario.Restart();
                operation = "clean restart";
            }
            else
            {
                if (random.Next(2) == 0)
                {
                    scenario.Flush();
                    scenario.Log.Checkpoint(); // recovery then trusts everything below this point
                }
                scenario.Crash().Reopen();
                operation = "crash and recover";
            }

            Assert.True(logEnd == scenario.Log.LogEndOffset, $"step {step} ({operation}): log end {scenario.Log.LogEndOffset}, model {logEnd}");
            Assert.True(logStart == scenario.Log.LogStartOffset, $"step {step} ({operation}): log start {scenario.Log.LogStartOffset}, model {logStart}");
            if (step % 10 == 0 || operation.Contains("restart", StringComparison.Ordinal) || operation.Contains("crash", StringComparison.Ordinal))
            {
                Assert.Equal(model.Values.ToList(), Normalise(scenario.ReadAll()));
            }
            return (logStart, logEnd, operation);
        }
    }

    /// <summary>Reads as a consumer does (a compacted batch may hold only earlier records; go on after its last offset).</summary>
    private static void CheckReadFrom(LogScenario scenario, SortedDictionary<long, ReadRecord> model, long from)
    {
        var expected = model.Values.Where(r => r.Offset >= from).ToList();
        Assert.Equal(expected, Normalise(scenario.ReadAll(from, maxBytes: 2048)));
    }

    /// <summary>Every kept record is the model's, and every key's latest record is kept; the model then forgets what was compacted away.</summary>
    private static void CheckCompaction(LogScenario scenario, SortedDictionary<long, ReadRecord> model)
    {
        var present = Normalise(scenario.ReadAll());
        foreach (var record in present)
        {
            Assert.Equal(model[record.Offset], record);
        }
        var latest = model.Values.GroupBy(r => r.Key).Select(g => g.Last());
        var presentOffsets = present.Select(r => r.Offset).ToHashSet();
        foreach (var record in latest.Where(r => r.Value is not null))
        {
            Assert.Contains(record.Offset, presentOffsets);
        }
        foreach (long offset in model.Keys.Where(o => !presentOffsets.Contains(o)).ToList())
        {
            model.Remove(offset);
        }
    }

    private static void RemoveBelow(SortedDictionary<long, ReadRecord> model, long logStart)
    {
        foreach (long offset in model.Keys.Where(o => o < logStart).ToList())
        {
            model.Remove(offset);
        }
    }

    /// <summary>Reads return whole batches; the model tracks records (timestamp and epoch fixed).</summary>
    private static List<ReadRecord> Normalise(IEnumerable<ReadRecord> records) =>
        records.Select(r => r with { Timestamp = 1000, LeaderEpoch = 0 }).ToList();
}
