using System.Text;
using Brook.Client.Admin;
using Brook.Client.Consuming;
using Brook.Client.Groups;
using Brook.Client.Producing;
using Brook.Client.Tests.Support;

namespace Brook.Client.Tests;

public sealed class ClassicGroupMembershipTests
{
    private static ClassicGroupOptions Group(string topic) => new()
    {
        GroupId = "workers",
        Topics = [topic],
        HeartbeatInterval = TimeSpan.FromMilliseconds(100),
        SessionTimeout = TimeSpan.FromSeconds(10),
        RebalanceTimeout = TimeSpan.FromSeconds(10),
    };

    [Fact]
    public async Task Two_members_split_the_partitions_and_the_survivor_takes_all_after_the_other_leaves()
    {
        await using var broker = await EmbeddedBroker.StartAsync();
        await using (var admin = new KafkaAdminClient(broker.ClientOptions()))
        {
            await admin.CreateTopicAsync(new NewTopic("jobs", 4));
        }
        var first = new ClassicGroupMembership(broker.ClientOptions(), Group("jobs"));
        await using var second = new ClassicGroupMembership(broker.ClientOptions(), Group("jobs"));

        IReadOnlyCollection<TopicPartition> alone = await first.GetAssignmentAsync(CancellationToken.None);
        Assert.Equal(4, alone.Count);
        // The second join waits for the first member to rejoin, which it does on its next poll once a heartbeat sees the rebalance.
        Task<IReadOnlyCollection<TopicPartition>> joining = second.GetAssignmentAsync(CancellationToken.None).AsTask();
        IReadOnlyCollection<TopicPartition> firstShare = alone;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!joining.IsCompleted)
        {
            firstShare = await first.GetAssignmentAsync(deadline.Token);
            await Task.WhenAny(joining, Task.Delay(20, deadline.Token));
        }
        IReadOnlyCollection<TopicPartition> secondShare = await joining;
        firstShare = await first.GetAssignmentAsync(deadline.Token);

        Assert.Equal(2, firstShare.Count);
        Assert.Equal(2, secondShare.Count);
        Assert.Empty(firstShare.Intersect(secondShare));
        Assert.Equal("range", second.Protocol);

        await first.DisposeAsync();
        IReadOnlyCollection<TopicPartition> all = secondShare;
        while (all.Count != 4)
        {
            all = await second.GetAssignmentAsync(deadline.Token);
            await Task.Delay(20, deadline.Token);
        }
        Assert.Equal(4, all.Count);
    }

    [Fact]
    public async Task A_consumer_in_a_group_starts_from_the_committed_offsets_and_commits_its_positions()
    {
        await using var broker = await EmbeddedBroker.StartAsync();
        await using (var producer = new KafkaProducer(new ProducerOptions { BootstrapServers = broker.BootstrapServers }))
        {
            for (int i = 0; i < 10; i++)
            {
                await producer.ProduceAsync("events", null, Encoding.UTF8.GetBytes($"e{i}"), partition: 0);
            }
        }
        await using (var admin = new KafkaAdminClient(broker.ClientOptions()))
        {
            await admin.CommitOffsetsAsync("workers", [new(new TopicPartition("events", 0), 6)]);
        }

        await using (var membership = new ClassicGroupMembership(broker.ClientOptions(), Group("events")))
        {
            await using var consumer = new KafkaConsumer(new ConsumerOptions { BootstrapServers = broker.BootstrapServers, AutoOffsetReset = AutoOffsetReset.Earliest }, membership);
            membership.CurrentPositions = consumer.GetPositions;
            List<ConsumeResult> records = await Consume.AtLeastAsync(consumer, 4);
            Assert.Equal(["e6", "e7", "e8", "e9"], records.Select(r => Encoding.UTF8.GetString(r.Value!)));
            await consumer.CommitAsync();
        }

        await using var check = new KafkaAdminClient(broker.ClientOptions());
        Assert.Equal(10, (await check.FetchCommittedOffsetsAsync("workers"))[new TopicPartition("events", 0)].Offset);
        GroupDescription group = await check.DescribeGroupAsync("workers");
        Assert.Empty(group.Members);
    }
}
