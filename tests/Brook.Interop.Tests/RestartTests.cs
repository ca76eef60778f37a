using System.Text.Json;
using Brook.Interop.Tests.Support;

namespace Brook.Interop.Tests;

/// <summary>brook start as a child process, killed with SIGKILL while clients were using it.</summary>
public sealed class RestartTests
{
    [Fact]
    public async Task Every_record_acknowledged_with_acks_all_survives_kill_9_and_a_restart()
    {
        string dataDirectory = Path.Combine(Path.GetTempPath(), "brook-restart-" + Guid.NewGuid().ToString("N"));
        string script = InteropPaths.Script("python", "confluent_kafka_client.py");
        try
        {
            List<ClientRecord> acked;
            using (BrookProcess first = await BrookProcess.StartAsync(dataDirectory))
            {
                JsonElement produced = RecordChecks.ParseJson(await ChildProcess.RunAsync(InteropPaths.Python, [script, first.Bootstrap, "durable", "produce", "3000", "create"]));
                acked = RecordChecks.Records(produced, "acked");
                await first.KillHardAsync();
            }

            using BrookProcess second = await BrookProcess.StartAsync(dataDirectory);
            JsonElement consumed = RecordChecks.ParseJson(await ChildProcess.RunAsync(InteropPaths.Python, [script, second.Bootstrap, "durable", "consume", "2", "3000"]));

            Assert.Equal(3000, acked.Count);
            RecordChecks.EveryAckedRecordCameBackOnceInOrder(acked, RecordChecks.Records(consumed, "consumed"));
        }
        finally
        {
            if (Directory.Exists(dataDirectory))
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
        }
    }
}
