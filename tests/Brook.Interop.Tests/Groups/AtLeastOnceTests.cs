using System.Globalization;
using Brook.Interop.Tests.Support;

namespace Brook.Interop.Tests.Groups;

/// <summary>Members join, die and leave while a producer runs; committed offsets make the group read every record at least once.</summary>
public sealed class AtLeastOnceTests
{
    [Theory]
    [InlineData("confluent", "cooperative-sticky")]
    [InlineData("kafka-python", "roundrobin")]
    public async Task Every_record_is_read_at_least_once_while_members_come_and_go(string client, string assignor)
    {
        const int Records = 400;
        await using var broker = await EmbeddedBroker.StartAsync(o =>
        {
            o.Broker.AutoCreateTopics = false;
            o.Broker.Groups.InitialRebalanceDelay = TimeSpan.FromMilliseconds(200);
            o.Broker.Groups.OffsetsTopicPartitions = 5;
        });
        await GroupConsumerTests.CreateAndFillAsync(broker.Bootstrap, "churn", 6, 0);
        // The producer spreads its records over several seconds, so membership changes happen mid-stream.
        Task<ProcessResult> producer = ChildProcess.RunAsync(InteropPaths.Python,
            [InteropPaths.Script("groups", "group_member.py"), "admin", broker.Bootstrap, "churn", "produce", Records.ToString(CultureInfo.InvariantCulture), "20"]);
        var members = new List<GroupMemberProcess>();
        try
        {
            GroupMemberProcess Start()
            {
                var member = GroupMemberProcess.StartPython(client, broker.Bootstrap, "churn", "churners", assignor, "--session-ms", "6000");
                members.Add(member);
                return member;
            }
            HashSet<string> Seen() => [.. members.SelectMany(m => m.Records).Select(r => r.Value)];
            string Describe() => string.Join("\n", members.Select(m => m.Describe()));

            GroupMemberProcess first = Start();
            GroupMemberProcess second = Start();
            await Conditions.WaitUntil(() => Seen().Count >= 50, () => "50 records were read\n" + Describe());
            GroupMemberProcess third = Start();
            await Conditions.WaitUntil(() => Seen().Count >= 150, () => "150 records were read\n" + Describe());
            second.Kill();
            await Conditions.WaitUntil(() => Seen().Count >= 250, () => "250 records were read\n" + Describe());
            await first.StopAsync();
            ProcessResult produced = await producer;
            Assert.True(produced.ExitCode == 0, produced.ToString());
            await Conditions.WaitUntil(() => Seen().Count == Records, () => $"all {Records} records were read\n" + Describe());
            await Conditions.WaitUntil(() => third.Assignment?.Count == 6, () => "the last member holds all six partitions\n" + Describe());
            await third.StopAsync();
        }
        finally
        {
            members.ForEach(m => m.Dispose());
        }
    }
}
