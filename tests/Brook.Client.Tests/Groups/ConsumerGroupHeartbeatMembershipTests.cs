using System.Collections.Concurrent;
using Brook.Client.Admin;
using Brook.Client.Connections;
using Brook.Client.Consuming;
using Brook.Client.Groups;
using Brook.Client.Producing;
using Brook.Client.Tests.Support;
using Brook.Protocol.Errors;
using Brook.Protocol.Messages;

namespace Brook.Client.Tests.Groups;

/// <summary>KIP-848 through Brook's own client against an embedded broker (the Debian clients predate the consumer protocol).</summary>
public sealed class ConsumerGroupHeartbeatMembershipTests
{
    private const string Topic = "events";

    private static Task<EmbeddedBroker> StartBrokerAsync(int sessionTimeoutMs = 30_000) => EmbeddedBroker.StartAsync(o =>
    {
        o.Broker.Groups.ConsumerHeartbeatIntervalMs = 50;
        o.Broker.Groups.ConsumerSessionTimeoutMs = sessionTimeoutMs;
        o.Broker.Groups.OffsetsTopicPartitions = 3;
    });

    private static async Task CreateTopicAsync(EmbeddedBroker broker, int partitions)
    {
        await using var admin = new KafkaAdminClient(broker.ClientOptions());
        await admin.CreateTopicAsync(new NewTopic(Topic, partitions));
    }

    /// <summary>Members that check, whenever one is handed partitions, that no other member still owns them.</summary>
    private sealed class Members(EmbeddedBroker broker) : IAsyncDisposable
    {
        private readonly List<(KafkaCluster Cluster, ConsumerGroupHeartbeatMembership Membership)> _all = [];

        private readonly ConcurrentDictionary<ConsumerGroupHeartbeatMembership, bool> _dead = new();

        public ConcurrentQueue<string> Violations { get; } = new();

        /// <summary>Stops a member as a crash would; a dead process consumes nothing, so it no longer counts as an owner.</summary>
        public Task KillAsync(ConsumerGroupHeartbeatMembership member)
        {
            _dead[member] = true;
            return member.AbandonAsync();
        }

        public ConsumerGroupHeartbeatMembership this[int index] => _all[index].Membership;

        public IEnumerable<ConsumerGroupHeartbeatMembership> All => _all.Select(m => m.Membership);

        public ConsumerGroupHeartbeatMembership Add(string? instanceId = null, string? assignor = null)
        {
            var cluster = new KafkaCluster(broker.ClientOptions());
            ConsumerGroupHeartbeatMembership? self = null;
            var membership = new ConsumerGroupHeartbeatMembership(cluster, new ConsumerGroupHeartbeatOptions
            {
                GroupId = "g",
                Topics = [Topic],
                GroupInstanceId = instanceId,
                ServerAssignor = assignor,
                PartitionsAssigned = (added, _) =>
                {
                    foreach (ConsumerGroupHeartbeatMembership other in All)
                    {
                        if (!ReferenceEquals(other, self) && !_dead.ContainsKey(other) && other.Owned.Intersect(added).Any())
                        {
                            Violations.Enqueue($"{string.Join(",", other.Owned.Intersect(added))} assigned while still owned");
                        }
                    }
                    return ValueTask.CompletedTask;
                },
            });
            self = membership;
            _all.Add((cluster, membership));
            membership.Start();
            return membership;
        }

        public bool Balanced(int partitions, IEnumerable<ConsumerGroupHeartbeatMembership> members)
        {
            var list = members.ToList();
            Assert.All(All, m => Assert.Null(m.Failure));
            var owned = list.SelectMany(m => m.Owned).ToList();
            int least = list.Min(m => m.Owned.Count);
            int most = list.Max(m => m.Owned.Count);
            return owned.Count == partitions && owned.Distinct().Count() == partitions && most - least <= 1;
        }

        public async ValueTask DisposeAsync()
        {
            foreach ((KafkaCluster cluster, ConsumerGroupHeartbeatMembership membership) in _all)
            {
                await membership.DisposeAsync();
                await cluster.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Members_join_and_get_an_even_share_of_the_partitions()
    {
        await using var broker = await StartBrokerAsync();
        await CreateTopicAsync(broker, 12);
        await using var members = new Members(broker);
        for (int i = 0; i < 3; i++)
        {
            members.Add();
        }
        await Eventually.True(() => members.Balanced(12, members.All) && members.All.All(m => m.Owned.Count == 4) && members.Balanced(12, members.All), "3 members own 4 partitions each");
        Assert.Empty(members.Violations);
        Assert.Single(members.All.Select(m => m.MemberEpoch).Distinct());
    }

    [Fact]
    public async Task A_new_member_gets_partitions_only_after_their_owners_revoked_them()
    {
        await using var broker = await StartBrokerAsync();
        await CreateTopicAsync(broker, 12);
        await using var members = new Members(broker);
        members.Add();
        members.Add();
        await Eventually.True(() => members.Balanced(12, members.All), "two members share 12 partitions");
        members.Add();
        members.Add();
        await Eventually.True(() => members.All.All(m => m.Owned.Count == 3) && members.Balanced(12, members.All), "four members own 3 each");
        Assert.Empty(members.Violations);
    }

    [Fact]
    public async Task A_leaving_member_hands_its_partitions_to_the_others()
    {
        await using var broker = await StartBrokerAsync();
        await CreateTopicAsync(broker, 12);
        await using var members = new Members(broker);
        for (int i = 0; i < 3; i++)
        {
            members.Add();
        }
        await Eventually.True(() => members.Balanced(12, members.All), "three members share 12 partitions");
        await members[2].LeaveAsync();
        await Eventually.True(() => members.Balanced(12, [members[0], members[1]]), "the two left own 6 each");
        Assert.Empty(members.Violations);
    }

    [Fact]
    public async Task A_dead_member_loses_its_partitions_after_the_session_timeout()
    {
        await using var broker = await StartBrokerAsync(sessionTimeoutMs: 1_500);
        await CreateTopicAsync(broker, 12);
        await using var members = new Members(broker);
        members.Add();
        members.Add();
        await Eventually.True(() => members.Balanced(12, members.All), "two members share 12 partitions");
        await members.KillAsync(members[1]);
        await Eventually.True(() => members[0].Owned.Count == 12, "the survivor owns every partition");
        Assert.Empty(members.Violations);
    }

    [Fact]
    public async Task A_static_member_that_restarts_gets_its_own_partitions_back()
    {
        await using var broker = await StartBrokerAsync();
        await CreateTopicAsync(broker, 12);
        await using var members = new Members(broker);
        members.Add(instanceId: "a");
        ConsumerGroupHeartbeatMembership b = members.Add(instanceId: "b");
        await Eventually.True(() => members.Balanced(12, members.All), "two static members share 12 partitions");
        var before = b.Owned.ToHashSet();
        var othersBefore = members[0].Owned.ToHashSet();
        string oldId = b.MemberId;

        await b.LeaveAsync();
        ConsumerGroupHeartbeatMembership restarted = members.Add(instanceId: "b");
        await Eventually.True(() => restarted.Owned.Count == before.Count, "the restarted member owns its partitions again");
        Assert.True(restarted.Owned.ToHashSet().SetEquals(before));
        Assert.NotEqual(oldId, restarted.MemberId);
        Assert.True(members[0].Owned.ToHashSet().SetEquals(othersBefore), "the other member kept its partitions");
        Assert.Empty(members.Violations);
    }

    [Fact]
    public async Task A_stale_epoch_is_fenced_on_the_wire_and_the_group_is_described()
    {
        await using var broker = await StartBrokerAsync();
        await CreateTopicAsync(broker, 4);
        await using var members = new Members(broker);
        ConsumerGroupHeartbeatMembership member = members.Add(assignor: "range");
        await Eventually.True(() => member.Owned.Count == 4, "the member owns every partition");

        await using var cluster = new KafkaCluster(broker.ClientOptions());
        KafkaConnection connection = await cluster.GetAnyConnectionAsync();
        var fenced = await connection.SendAsync<ConsumerGroupHeartbeatResponse>(new ConsumerGroupHeartbeatRequest
        {
            GroupId = "g",
            MemberId = member.MemberId,
            MemberEpoch = member.MemberEpoch + 1,
            TopicPartitions = [],
        });
        Assert.Equal((short)ErrorCode.FencedMemberEpoch, fenced.ErrorCode);

        var described = await connection.SendAsync<ConsumerGroupDescribeResponse>(new ConsumerGroupDescribeRequest { GroupIds = ["g", "missing"] });
        ConsumerGroupDescribeResponse.DescribedGroup group = described.Groups[0];
        Assert.Equal(("Stable", "range"), (group.GroupState, group.AssignorName));
        ConsumerGroupDescribeResponse.Member only = Assert.Single(group.Members);
        Assert.Equal(member.MemberId, only.MemberId);
        Assert.Equal([0, 1, 2, 3], only.Assignment.TopicPartitions.Single(t => t.TopicName == Topic).Partitions);
        Assert.Equal((short)ErrorCode.GroupIdNotFound, described.Groups[1].ErrorCode);

        var listed = await connection.SendAsync<ListGroupsResponse>(new ListGroupsRequest { TypesFilter = ["consumer"] });
        Assert.Equal(("g", "consumer", "Stable"), (listed.Groups.Single().GroupId, listed.Groups.Single().GroupType, listed.Groups.Single().GroupState));
    }

    [Fact]
    public async Task Two_group_consumers_read_every_record_between_them()
    {
        await using var broker = await StartBrokerAsync();
        await CreateTopicAsync(broker, 4);
        await using var members = new Members(broker);
        members.Add();
        members.Add();
        await Eventually.True(() => members.Balanced(4, members.All), "two members share 4 partitions");

        const int count = 200;
        await using (var producer = new KafkaProducer(new ProducerOptions { BootstrapServers = broker.BootstrapServers }))
        {
            var sends = new List<Task<DeliveryReport>>();
            for (int i = 0; i < count; i++)
            {
                sends.Add(producer.ProduceAsync(Topic, BitConverter.GetBytes(i), BitConverter.GetBytes(i)));
            }
            await Task.WhenAll(sends);
        }
        var seen = new ConcurrentDictionary<(int Partition, long Offset), bool>();
        var consumers = new List<KafkaConsumer>();
        using var stop = new CancellationTokenSource();
        var reading = new List<Task>();
        foreach (ConsumerGroupHeartbeatMembership member in members.All)
        {
            var consumer = new KafkaConsumer(new ConsumerOptions { BootstrapServers = broker.BootstrapServers, AutoOffsetReset = AutoOffsetReset.Earliest, FetchMaxWait = TimeSpan.FromMilliseconds(50) }, member);
            consumers.Add(consumer);
            reading.Add(Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    foreach (ConsumeResult result in await consumer.PollAsync(stop.Token))
                    {
                        seen[(result.Partition, result.Offset)] = true;
                    }
                }
            }));
        }
        await Eventually.True(() => seen.Count == count, $"{count} records consumed by the group");
        await stop.CancelAsync();
        foreach (Task task in reading)
        {
            try
            {
                await task;
            }
            catch (OperationCanceledException)
            {
                // Stopped while polling.
            }
        }
        foreach (KafkaConsumer consumer in consumers)
        {
            await consumer.DisposeAsync();
        }
    }
}
