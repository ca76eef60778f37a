using Brook.Interop.Tests.Support;

namespace Brook.Interop.Tests.Groups;

/// <summary>Group consumers of kafka-python 2.0.2, confluent-kafka 1.7.0 (librdkafka) and kafkajs as separate processes against Brook's group coordinator.</summary>
public sealed class GroupConsumerTests
{
    private static Task<EmbeddedBroker> StartBrokerAsync() => EmbeddedBroker.StartAsync(o =>
    {
        o.Broker.AutoCreateTopics = false;
        o.Broker.Groups.InitialRebalanceDelay = TimeSpan.FromMilliseconds(200);
        o.Broker.Groups.OffsetsTopicPartitions = 5;
    });

    internal static async Task CreateAndFillAsync(string bootstrap, string topic, int partitions, int records)
    {
        string script = InteropPaths.Script("groups", "group_member.py");
        ProcessResult created = await ChildProcess.RunAsync(InteropPaths.Python, [script, "admin", bootstrap, topic, "create", partitions.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        Assert.True(created.ExitCode == 0, created.ToString());
        if (records > 0)
        {
            ProcessResult produced = await ChildProcess.RunAsync(InteropPaths.Python, [script, "admin", bootstrap, topic, "produce", records.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            Assert.True(produced.ExitCode == 0, produced.ToString());
        }
    }

    private static string Describe(IEnumerable<GroupMemberProcess> members) => string.Join("\n", members.Select(m => m.Describe()));

    private static HashSet<string> Values(IEnumerable<GroupMemberProcess> members) => [.. members.SelectMany(m => m.Records).Select(r => r.Value)];

    [Theory]
    [InlineData("kafka-python", "range")]
    [InlineData("kafka-python", "roundrobin")]
    [InlineData("confluent", "range")]
    [InlineData("confluent", "roundrobin")]
    [InlineData("confluent", "cooperative-sticky")]
    public async Task Three_members_on_twelve_partitions_get_four_each_and_read_every_record(string client, string assignor)
    {
        await using var broker = await StartBrokerAsync();
        await CreateAndFillAsync(broker.Bootstrap, "twelve", 12, 120);
        var members = new List<GroupMemberProcess>();
        try
        {
            for (int i = 0; i < 3; i++)
            {
                members.Add(GroupMemberProcess.StartPython(client, broker.Bootstrap, "twelve", "g-" + assignor, assignor));
            }
            await Conditions.WaitUntil(() =>
                members.TrueForAll(m => m.Assignment?.Count == 4)
                && members.SelectMany(m => m.Assignment!).Distinct().Count() == 12
                && Values(members).Count == 120,
                () => "each member holds 4 distinct partitions and all 120 records were read\n" + Describe(members));
            foreach (GroupMemberProcess member in members)
            {
                await member.StopAsync();
            }
            Assert.All(members, m => Assert.True(m.IsDone, m.Describe()));
        }
        finally
        {
            members.ForEach(m => m.Dispose());
        }
    }

    [Theory]
    [InlineData("kafka-python", "range")]
    [InlineData("confluent", "cooperative-sticky")]
    public async Task A_killed_members_partitions_go_to_the_survivor_after_the_session_timeout(string client, string assignor)
    {
        await using var broker = await StartBrokerAsync();
        await CreateAndFillAsync(broker.Bootstrap, "four", 4, 0);
        using GroupMemberProcess survivor = GroupMemberProcess.StartPython(client, broker.Bootstrap, "four", "g", assignor, "--session-ms", "6000");
        using GroupMemberProcess victim = GroupMemberProcess.StartPython(client, broker.Bootstrap, "four", "g", assignor, "--session-ms", "6000");
        GroupMemberProcess[] both = [survivor, victim];
        await Conditions.WaitUntil(() => survivor.Assignment?.Count == 2 && victim.Assignment?.Count == 2,
            () => "the two members split the four partitions\n" + Describe(both));
        victim.Kill();
        await Conditions.WaitUntil(() => survivor.Assignment?.Count == 4, () => "the survivor took over all four partitions\n" + Describe(both));
        await survivor.StopAsync();
    }

    [Fact]
    public async Task Two_groups_on_one_topic_each_read_every_record()
    {
        await using var broker = await StartBrokerAsync();
        await CreateAndFillAsync(broker.Bootstrap, "shared", 3, 90);
        using GroupMemberProcess first = GroupMemberProcess.StartPython("confluent", broker.Bootstrap, "shared", "group-a", "range");
        using GroupMemberProcess second = GroupMemberProcess.StartPython("kafka-python", broker.Bootstrap, "shared", "group-b", "range");
        await Conditions.WaitUntil(() => Values([first]).Count == 90 && Values([second]).Count == 90,
            () => "both groups read all 90 records\n" + Describe([first, second]));
        Assert.Equal([0, 1, 2], first.Assignment);
        Assert.Equal([0, 1, 2], second.Assignment);
        await first.StopAsync();
        await second.StopAsync();
    }

    [Fact]
    public async Task A_restarted_static_member_gets_its_partitions_back_without_moving_the_others()
    {
        await using var broker = await StartBrokerAsync();
        await CreateAndFillAsync(broker.Bootstrap, "static", 4, 0);
        using GroupMemberProcess other = GroupMemberProcess.StartPython("confluent", broker.Bootstrap, "static", "g", "range", "--instance", "other", "--session-ms", "30000");
        using GroupMemberProcess first = GroupMemberProcess.StartPython("confluent", broker.Bootstrap, "static", "g", "range", "--instance", "restarted", "--session-ms", "30000");
        await Conditions.WaitUntil(() => other.Assignment?.Count == 2 && first.Assignment?.Count == 2, () => "the two static members split the partitions\n" + Describe([other, first]));
        IReadOnlyList<int> before = first.Assignment!;
        int otherChanges = other.AssignmentChanges;
        first.Kill();
        using GroupMemberProcess again = GroupMemberProcess.StartPython("confluent", broker.Bootstrap, "static", "g", "range", "--instance", "restarted", "--session-ms", "30000");
        await Conditions.WaitUntil(() => again.Assignment?.Count == 2, () => "the restarted member got an assignment\n" + Describe([other, again]));
        Assert.Equal(before, again.Assignment);
        Assert.Equal(otherChanges, other.AssignmentChanges);
        Assert.Equal(2, other.Assignment!.Count);
        await again.StopAsync();
        await other.StopAsync();
    }

    [Fact]
    public async Task Kafkajs_members_share_the_partitions_and_read_every_record()
    {
        Assert.True(Directory.Exists(InteropPaths.Script("node", "node_modules", "kafkajs")), "kafkajs is not installed: run test.sh (npm install in tests/interop/node)");
        await using var broker = await StartBrokerAsync();
        await CreateAndFillAsync(broker.Bootstrap, "js", 4, 40);
        using GroupMemberProcess first = GroupMemberProcess.StartKafkajs(broker.Bootstrap, "js", "g-js");
        using GroupMemberProcess second = GroupMemberProcess.StartKafkajs(broker.Bootstrap, "js", "g-js");
        GroupMemberProcess[] both = [first, second];
        await Conditions.WaitUntil(() => first.Assignment?.Count == 2 && second.Assignment?.Count == 2
            && first.Assignment.Concat(second.Assignment).Distinct().Count() == 4 && Values(both).Count == 40,
            () => "each kafkajs member holds two partitions and all 40 records were read\n" + Describe(both));
        await first.StopAsync();
        await second.StopAsync();
        Assert.True(first.IsDone && second.IsDone, Describe(both));
    }
}
