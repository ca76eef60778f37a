using Brook.Interop.Tests.Support;

namespace Brook.Interop.Tests.Groups;

/// <summary>Committed offsets outlive the broker process: a SIGKILLed broker restarted over the same data lets the group resume.</summary>
public sealed class GroupRestartTests
{
    [Theory]
    [InlineData("confluent")]
    [InlineData("kafka-python")]
    public async Task A_group_resumes_from_its_committed_offsets_after_the_broker_is_killed_and_restarted(string client)
    {
        string dataDirectory = Path.Combine(Path.GetTempPath(), "brook-groups-restart-" + Guid.NewGuid().ToString("N"));
        try
        {
            List<(int Partition, long Offset, string Value)> firstRead;
            using (BrookProcess broker = await BrookProcess.StartAsync(dataDirectory))
            {
                await GroupConsumerTests.CreateAndFillAsync(broker.Bootstrap, "resume", 2, 100);
                using GroupMemberProcess first = GroupMemberProcess.StartPython(client, broker.Bootstrap, "resume", "g", "range", "--max-records", "40");
                await Conditions.WaitUntil(() => first.IsDone, () => "the first member read 40 records and left\n" + first.Describe());
                firstRead = first.Records;
                await broker.KillHardAsync();
            }
            using BrookProcess restarted = await BrookProcess.StartAsync(dataDirectory);
            using GroupMemberProcess second = GroupMemberProcess.StartPython(client, restarted.Bootstrap, "resume", "g", "range");
            await Conditions.WaitUntil(() => firstRead.Select(r => r.Value).Concat(second.Records.Select(r => r.Value)).Distinct().Count() == 100,
                () => "the two members together read all 100 records\n" + second.Describe());
            await second.StopAsync();
            // Every read was committed before the next poll, so the second member starts where the first stopped.
            Assert.Empty(second.Records.Select(r => r.Value).Intersect(firstRead.Select(r => r.Value)));
            Assert.True(firstRead.Count >= 40);
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
