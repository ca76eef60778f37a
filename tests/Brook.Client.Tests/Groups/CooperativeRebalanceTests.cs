using System.Collections.Concurrent;
using Brook.Client.Admin;
using Brook.Client.Consuming;
using Brook.Client.Groups;
using Brook.Client.Producing;
using Brook.Client.Tests.Support;

namespace Brook.Client.Tests.Groups;

/// <summary>Incremental cooperative rebalancing (KIP-429) of the classic protocol with the cooperative-sticky assignor, against an embedded broker.</summary>
public sealed class CooperativeRebalanceTests
{
    private const string Topic = "jobs";

    /// <summary>The fake position each owner reports for a partition, so the next owner's starting offset shows it was committed.</summary>
    private static long PositionOf(TopicPartition partition) => 1000 + partition.Partition;

    private static async Task<EmbeddedBroker> StartWithTopicAsync(int partitions)
    {
        EmbeddedBroker broker = await EmbeddedBroker.StartAsync();
        await using var admin = new KafkaAdminClient(broker.ClientOptions());
        await admin.CreateTopicAsync(new NewTopic(Topic, partitions));
        return broker;
    }

    private static ClassicGroupOptions CooperativeGroup() => new()
    {
        GroupId = "cooperative",
        Topics = [Topic],
        HeartbeatInterval = TimeSpan.FromMilliseconds(50),
        SessionTimeout = TimeSpan.FromSeconds(10),
        RebalanceTimeout = TimeSpan.FromSeconds(10),
        Assignors = [new CooperativeStickyAssignor()],
    };

    /// <summary>One polling member; every hand-out is checked against the owners of the moment.</summary>
    private sealed class Member : IAsyncDisposable
    {
        private readonly Ownership _ownership;
        private readonly CancellationTokenSource _stop = new();
        private readonly HashSet<TopicPartition> _owned = [];
        private Task? _polling;

        public Member(EmbeddedBroker broker, string name, Ownership ownership)
        {
            _ownership = ownership;
            Name = name;
            Membership = new ClassicGroupMembership(broker.ClientOptions(), CooperativeGroup());
            Membership.CurrentPositions = () => [.. Owned.Select(p => KeyValuePair.Create(p, PositionOf(p)))];
            Membership.PartitionsAssigned = added =>
            {
                foreach (TopicPartition partition in added)
                {
                    Assigned.Add((partition, Membership.GenerationId, Membership.TryGetStartingOffset(partition, out long start) ? start : -1));
                    _ownership.Take(this, partition);
                }
                lock (_owned)
                {
                    _owned.UnionWith(added);
                }
            };
            Membership.PartitionsRevoked = revoked =>
            {
                foreach (TopicPartition partition in revoked)
                {
                    Revoked.Add((partition, Membership.GenerationId));
                    _ownership.Release(this, partition);
                }
                lock (_owned)
                {
                    _owned.ExceptWith(revoked);
                }
            };
        }

        public string Name { get; }

        public ClassicGroupMembership Membership { get; }

        public List<(TopicPartition Partition, int Generation, long StartingOffset)> Assigned { get; } = [];

        public List<(TopicPartition Partition, int Generation)> Revoked { get; } = [];

        public TopicPartition[] Owned
        {
            get
            {
                lock (_owned)
                {
                    return [.. _owned];
                }
            }
        }

        /// <summary>Polls like a consumer does: the membership (re)joins on the polling task when the group rebalances.</summary>
        public void Start() => _polling = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    await Membership.GetAssignmentAsync(_stop.Token);
                    await Task.Delay(10, _stop.Token);
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
            }
        });

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            if (_polling is not null)
            {
                await _polling;
            }
            await Membership.DisposeAsync();
            _stop.Dispose();
        }
    }

    /// <summary>Who owns each partition now, and every time a partition was handed to a member while another still owned it.</summary>
    private sealed class Ownership
    {
        private readonly Dictionary<TopicPartition, Member> _owners = [];

        public List<string> Violations { get; } = [];

        public void Take(Member member, TopicPartition partition)
        {
            lock (_owners)
            {
                if (_owners.TryGetValue(partition, out Member? owner) && owner != member)
                {
                    Violations.Add($"{partition} given to {member.Name} while {owner.Name} owns it");
                }
                _owners[partition] = member;
            }
        }

        public void Release(Member member, TopicPartition partition)
        {
            lock (_owners)
            {
                if (_owners.TryGetValue(partition, out Member? owner) && owner == member)
                {
                    _owners.Remove(partition);
                }
            }
        }
    }

    [Fact]
    public async Task A_third_member_joining_takes_only_moved_partitions_in_a_later_generation_and_nobody_loses_what_it_keeps()
    {
        await using EmbeddedBroker broker = await StartWithTopicAsync(6);
        var ownership = new Ownership();
        await using var first = new Member(broker, "first", ownership);
        await using var second = new Member(broker, "second", ownership);
        await using var third = new Member(broker, "third", ownership);

        first.Start();
        await Eventually.True(() => first.Owned.Length == 6, "the first member owns all six partitions");
        second.Start();
        await Eventually.True(() => first.Owned.Length == 3 && second.Owned.Length == 3, "two members own three partitions each");
        Assert.Equal("cooperative-sticky", first.Membership.Protocol);
        Assert.True(first.Membership.IsCooperative);
        TopicPartition[] firstBefore = first.Owned;
        TopicPartition[] secondBefore = second.Owned;
        int firstRevokedBefore = first.Revoked.Count;
        int secondRevokedBefore = second.Revoked.Count;

        third.Start();
        await Eventually.True(() => first.Owned.Length == 2 && second.Owned.Length == 2 && third.Owned.Length == 2, "three members own two partitions each");

        // Members that keep partitions never give them up: each old member revoked exactly the one partition that moved.
        (TopicPartition Partition, int Generation)[] firstRevoked = [.. first.Revoked.Skip(firstRevokedBefore)];
        (TopicPartition Partition, int Generation)[] secondRevoked = [.. second.Revoked.Skip(secondRevokedBefore)];
        Assert.Single(firstRevoked);
        Assert.Single(secondRevoked);
        Assert.Subset(firstBefore.ToHashSet(), first.Owned.ToHashSet());
        Assert.Subset(secondBefore.ToHashSet(), second.Owned.ToHashSet());
        Assert.DoesNotContain(firstRevoked[0].Partition, first.Owned);
        Assert.DoesNotContain(secondRevoked[0].Partition, second.Owned);

        // The moved partitions reach the new member in a later generation than the one that revoked them, at the committed positions.
        Assert.Equal(new[] { firstRevoked[0].Partition, secondRevoked[0].Partition }.OrderBy(p => p.Partition), third.Owned.OrderBy(p => p.Partition));
        foreach ((TopicPartition partition, int revokedIn) in firstRevoked.Concat(secondRevoked))
        {
            (TopicPartition _, int assignedIn, long start) = Assert.Single(third.Assigned, a => a.Partition == partition);
            Assert.True(assignedIn > revokedIn, $"{partition} was revoked in generation {revokedIn} and assigned in {assignedIn}");
            Assert.Equal(PositionOf(partition), start);
        }

        Assert.Empty(ownership.Violations);
        Assert.Equal(6, first.Owned.Concat(second.Owned).Concat(third.Owned).Distinct().Count());
    }

    [Fact]
    public async Task When_a_member_leaves_the_survivor_takes_its_partitions_in_one_round_without_giving_any_up()
    {
        await using EmbeddedBroker broker = await StartWithTopicAsync(4);
        var ownership = new Ownership();
        await using var staying = new Member(broker, "staying", ownership);
        var leaving = new Member(broker, "leaving", ownership);
        staying.Start();
        leaving.Start();
        await Eventually.True(() => staying.Owned.Length == 2 && leaving.Owned.Length == 2, "two members own two partitions each");
        TopicPartition[] kept = staying.Owned;
        int revokedBefore = staying.Revoked.Count;
        int generationBefore = staying.Membership.GenerationId;

        await leaving.DisposeAsync();
        await Eventually.True(() => staying.Owned.Length == 4, "the survivor owns all four partitions");

        Assert.Equal(revokedBefore, staying.Revoked.Count);
        Assert.Subset(staying.Owned.ToHashSet(), kept.ToHashSet());
        // No partition was owned by anyone else after the leave, so they came in the first round after it.
        Assert.Equal(generationBefore + 1, staying.Membership.GenerationId);
        Assert.Empty(ownership.Violations);
    }

    /// <summary>A real consumer in the group, polling on its own task and recording every record it gets.</summary>
    private sealed class ConsumingMember : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly ClassicGroupMembership _membership;
        private readonly KafkaConsumer _consumer;
        private readonly Task _polling;
        private int _assignedCount;
        private int _consumed;

        public ConsumingMember(EmbeddedBroker broker, ConcurrentQueue<(TopicPartition Partition, long Offset)> seen)
        {
            _membership = new ClassicGroupMembership(broker.ClientOptions(), CooperativeGroup());
            _consumer = new KafkaConsumer(new ConsumerOptions
            {
                BootstrapServers = broker.BootstrapServers,
                AutoOffsetReset = AutoOffsetReset.Earliest,
                FetchMaxWait = TimeSpan.FromMilliseconds(50),
            }, _membership);
            _membership.CurrentPositions = _consumer.GetPositions;
            _membership.PartitionsAssigned = added => Interlocked.Add(ref _assignedCount, added.Count);
            _membership.PartitionsRevoked = revoked => Interlocked.Add(ref _assignedCount, -revoked.Count);
            _polling = Task.Run(async () =>
            {
                try
                {
                    while (true)
                    {
                        foreach (ConsumeResult record in await _consumer.PollAsync(_stop.Token))
                        {
                            seen.Enqueue((record.TopicPartition, record.Offset));
                            Interlocked.Increment(ref _consumed);
                        }
                    }
                }
                catch (OperationCanceledException) when (_stop.IsCancellationRequested)
                {
                }
            });
        }

        public int Consumed => Volatile.Read(ref _consumed);

        public int Owns => Volatile.Read(ref _assignedCount);

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _polling;
            await _consumer.DisposeAsync();
            await _membership.DisposeAsync();
            _stop.Dispose();
        }
    }

    [Fact]
    public async Task Consumers_read_every_record_exactly_once_across_a_cooperative_handover()
    {
        await using EmbeddedBroker broker = await StartWithTopicAsync(6);
        await using var producer = new KafkaProducer(new ProducerOptions { BootstrapServers = broker.BootstrapServers });
        async Task ProduceTenPerPartitionAsync()
        {
            for (int partition = 0; partition < 6; partition++)
            {
                for (int i = 0; i < 10; i++)
                {
                    await producer.ProduceAsync(Topic, null, new byte[] { (byte)i }, partition: partition);
                }
            }
        }
        var seen = new ConcurrentQueue<(TopicPartition Partition, long Offset)>();
        await ProduceTenPerPartitionAsync();

        await using var first = new ConsumingMember(broker, seen);
        await using var second = new ConsumingMember(broker, seen);
        await Eventually.True(() => first.Owns == 3 && second.Owns == 3 && seen.Count >= 60, "two consumers share the partitions and read the first records");
        await using var third = new ConsumingMember(broker, seen);
        await Eventually.True(() => first.Owns == 2 && second.Owns == 2 && third.Owns == 2, "the third consumer got its share");
        await ProduceTenPerPartitionAsync();
        await Eventually.True(() => seen.Count >= 120, "every record was read");

        // The handed-over partitions start where their old owners stopped: nothing read twice, nothing missed.
        Assert.Equal(120, seen.Count);
        Assert.Equal(120, seen.Distinct().Count());
        Assert.Equal(20, third.Consumed);
        Assert.Equal(100, first.Consumed + second.Consumed);
    }
}
