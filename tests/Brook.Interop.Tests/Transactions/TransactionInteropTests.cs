using System.Text.Json;
using Brook.Interop.Tests.Groups;
using Brook.Interop.Tests.Support;

namespace Brook.Interop.Tests.Transactions;

/// <summary>Real transactional clients (confluent-kafka = librdkafka 2.0.2, kafkajs) against a started brook.</summary>
public sealed class TransactionInteropTests
{
    private static string NewDataDirectory() => Path.Combine(Path.GetTempPath(), "brook-txn-interop-" + Guid.NewGuid().ToString("N"));

    private static void Delete(string directory)
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_read_committed_consumer_sees_committed_transactions_once_and_never_aborted_ones()
    {
        string data = NewDataDirectory();
        try
        {
            using BrookProcess broker = await BrookProcess.StartAsync(data);
            await GroupConsumerTests.CreateAndFillAsync(broker.Bootstrap, "payments", 3, 0);

            await TransactionClient.RunAsync("produce", broker.Bootstrap, "payments", "tx-payments", "6", "20");

            List<string> committed = await TransactionClient.ReadAsync(broker.Bootstrap, "payments", 3, "read_committed");
            List<string> expected = [.. Enumerable.Range(0, 6).Where(t => t % 2 == 0).SelectMany(t => Enumerable.Range(0, 20).Select(i => $"c-{t}-{i}"))];
            Assert.Equal(expected.Order(), committed.Order());
            List<string> everything = await TransactionClient.ReadAsync(broker.Bootstrap, "payments", 3, "read_uncommitted");
            Assert.Equal(120, everything.Count);
            Assert.Equal(60, everything.Count(v => v.StartsWith("a-", StringComparison.Ordinal)));
        }
        finally
        {
            Delete(data);
        }
    }

    [Fact]
    public async Task The_older_of_two_producers_with_one_transactional_id_is_fenced()
    {
        string data = NewDataDirectory();
        try
        {
            using BrookProcess broker = await BrookProcess.StartAsync(data);
            await GroupConsumerTests.CreateAndFillAsync(broker.Bootstrap, "fenced", 1, 0);

            List<JsonElement> lines = await TransactionClient.RunAsync("fence", broker.Bootstrap, "fenced", "tx-zombie");

            JsonElement old = lines.Single(l => l.TryGetProperty("old", out _));
            Assert.Equal("failed", old.GetProperty("old").GetString());
            Assert.True(old.GetProperty("fatal").GetBoolean(), old.ToString());
            Assert.Equal(["winner"], await TransactionClient.ReadAsync(broker.Bootstrap, "fenced", 1, "read_committed"));
        }
        finally
        {
            Delete(data);
        }
    }

    [Fact]
    public async Task Consume_transform_produce_killed_mid_transaction_and_restarted_outputs_each_input_exactly_once()
    {
        string data = NewDataDirectory();
        try
        {
            using BrookProcess broker = await BrookProcess.StartAsync(data);
            await GroupConsumerTests.CreateAndFillAsync(broker.Bootstrap, "ctp-in", 3, 300);
            await GroupConsumerTests.CreateAndFillAsync(broker.Bootstrap, "ctp-out", 3, 0);

            // Three transactions commit, the fourth produces its output and is SIGKILLed before committing.
            using (System.Diagnostics.Process first = await TransactionClient.StartUntilAsync("hanging", "ctp", broker.Bootstrap, "ctp-in", "ctp-out", "ctp", "tx-ctp", "10", "--hang-after", "3"))
            {
                await TransactionClient.KillHardAsync(first);
            }
            List<JsonElement> second = await TransactionClient.RunAsync("ctp", broker.Bootstrap, "ctp-in", "ctp-out", "ctp", "tx-ctp", "10");
            Assert.True(second[^1].GetProperty("done").GetBoolean());

            List<string> output = await TransactionClient.ReadAsync(broker.Bootstrap, "ctp-out", 3, "read_committed");
            List<string> input = await TransactionClient.ReadAsync(broker.Bootstrap, "ctp-in", 3, "read_committed");
            Assert.Equal(300, input.Count);
            Assert.Equal(input.Select(v => "out-" + v).Order(), output.Order());
            // The killed transaction's output is in the log, aborted.
            Assert.True((await TransactionClient.ReadAsync(broker.Bootstrap, "ctp-out", 3, "read_uncommitted")).Count > 300);
        }
        finally
        {
            Delete(data);
        }
    }

    [Fact]
    public async Task A_transaction_left_open_across_a_broker_kill_and_restart_is_aborted_by_its_timeout()
    {
        string data = NewDataDirectory();
        try
        {
            using (BrookProcess broker = await BrookProcess.StartAsync(data))
            {
                await GroupConsumerTests.CreateAndFillAsync(broker.Bootstrap, "left-open", 1, 0);
                using System.Diagnostics.Process open = await TransactionClient.StartUntilAsync("\"open\"", "open", broker.Bootstrap, "left-open", "tx-open", "3000", "5");
                await TransactionClient.KillHardAsync(open);
                await broker.KillHardAsync();
            }
            using BrookProcess restarted = await BrookProcess.StartAsync(data);
            // A committed transaction after the open one: read_committed sees it only once the open one is aborted.
            await TransactionClient.RunAsync("produce", restarted.Bootstrap, "left-open", "tx-after", "1", "3");

            List<string> seen = await TransactionClient.ReadAsync(restarted.Bootstrap, "left-open", 1, "read_committed");
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (seen.Count < 3 && clock.Elapsed < Conditions.Deadline)
            {
                seen = await TransactionClient.ReadAsync(restarted.Bootstrap, "left-open", 1, "read_committed");
            }
            Assert.Equal(["c-0-0", "c-0-1", "c-0-2"], seen);
            List<string> all = await TransactionClient.ReadAsync(restarted.Bootstrap, "left-open", 1, "read_uncommitted");
            Assert.Equal(5, all.Count(v => v.StartsWith("open-", StringComparison.Ordinal)));
        }
        finally
        {
            Delete(data);
        }
    }

    [Fact]
    public async Task Kafkajs_commits_and_aborts_transactions_with_offsets_and_reads_only_committed_records()
    {
        string data = NewDataDirectory();
        try
        {
            using BrookProcess broker = await BrookProcess.StartAsync(data);
            await GroupConsumerTests.CreateAndFillAsync(broker.Bootstrap, "kjs", 1, 0);

            ProcessResult result = await ChildProcess.RunAsync(InteropPaths.Node, [InteropPaths.Script("transactions", "kafkajs_txn.js"), broker.Bootstrap, "kjs", "tx-kjs"]);

            Assert.True(result.ExitCode == 0, result.ToString());
            List<JsonElement> lines = TransactionClient.Lines(result.Stdout);
            List<string> values = [.. lines.Where(l => l.TryGetProperty("value", out _)).Select(l => l.GetProperty("value").GetString()!)];
            Assert.Equal(["c1-0", "c1-1", "c1-2", "c1-3", "c1-4", "c2-0", "c2-1", "c2-2", "c2-3", "c2-4", "end"], values);
            Assert.Equal("7", lines[^1].GetProperty("offset").GetString());
        }
        finally
        {
            Delete(data);
        }
    }
}
