using Brook.Broker.Cluster;
using Brook.Broker.Groups;
using Brook.Protocol.Errors;
using Brook.Protocol.Messages;
using Brook.Protocol.Primitives;
using static Brook.Broker.Tests.Groups.CoordinatorUnderTest;

namespace Brook.Broker.Tests.Groups;

/// <summary>The KIP-848 state machine on a manual clock: epochs, assignors, incremental reconciliation and every error code.</summary>
public sealed class ConsumerProtocolTests
{
    private static readonly string[] Orders = [Topic];

    private static Uuid IdOf(CoordinatorUnderTest test, string topic)
    {
        Assert.True(test.Broker.TryGetTopic(topic, out TopicState? state));
        return state.Id;
    }

    private static ConsumerGroupDescribeResponse.DescribedGroup Describe(CoordinatorUnderTest test, string group = "g") => test.Groups.DescribeConsumerGroup(group);

    [Fact]
    public async Task A_first_member_gets_an_id_epoch_one_and_every_partition()
    {
        await using var test = await StartAsync(o => o.ConsumerHeartbeatIntervalMs = 1234);
        var member = new ConsumerProtocolMember(test.Groups, "g", Orders);
        ConsumerGroupHeartbeatResponse joined = await member.JoinAsync();
        Assert.Equal(0, joined.ErrorCode);
        Assert.False(string.IsNullOrEmpty(joined.MemberId));
        Assert.Equal(1, joined.MemberEpoch);
        Assert.Equal(1234, joined.HeartbeatIntervalMs);
        Assert.Equal(4, member.Owned.Count);
        Assert.All(member.Owned, p => Assert.Equal(IdOf(test, Topic), p.TopicId));
        ConsumerGroupDescribeResponse.DescribedGroup described = Describe(test);
        Assert.Equal("Stable", described.GroupState);
        Assert.Equal(1, described.GroupEpoch);
        Assert.Equal(1, described.AssignmentEpoch);
        Assert.Equal("uniform", described.AssignorName);
    }

    [Fact]
    public async Task A_heartbeat_without_changes_carries_no_assignment()
    {
        await using var test = await StartAsync();
        var member = new ConsumerProtocolMember(test.Groups, "g", Orders);
        await member.JoinAsync();
        ConsumerGroupHeartbeatResponse beat = await member.HeartbeatAsync();
        Assert.Equal(0, beat.ErrorCode);
        Assert.Equal(1, beat.MemberEpoch);
        Assert.Null(beat.Assignment);
    }

    [Fact]
    public async Task Partitions_move_to_a_new_member_only_after_their_owner_revokes_them()
    {
        await using var test = await StartAsync();
        var first = new ConsumerProtocolMember(test.Groups, "g", Orders);
        var second = new ConsumerProtocolMember(test.Groups, "g", Orders);
        await first.JoinAsync();
        await second.JoinAsync();
        // The second member is at the new epoch but every partition it is due is still owned.
        Assert.Equal(2, second.Epoch);
        Assert.Empty(second.Owned);
        Assert.Equal("Reconciling", Describe(test).GroupState);

        // The owner hears it must give two up, and keeps its epoch until it confirms.
        var ownedBefore = first.Owned.ToList();
        await first.HeartbeatAsync(ownedBefore);
        Assert.Equal(1, first.Epoch);
        Assert.Equal(2, first.Owned.Count);
        await second.HeartbeatAsync();
        Assert.Empty(second.Owned);

        // Confirmed: the owner moves to epoch 2; the new member gets the released partitions.
        await first.HeartbeatAsync();
        Assert.Equal(2, first.Epoch);
        await second.HeartbeatAsync();
        Assert.Equal(2, second.Owned.Count);
        Assert.Empty(first.Owned.Intersect(second.Owned));
        Assert.Equal("Stable", Describe(test).GroupState);
    }

    [Fact]
    public async Task The_uniform_assignor_spreads_partitions_evenly_and_moves_few_when_a_member_joins()
    {
        await using var test = await StartAsync();
        await test.Broker.CreateTopicAsync("wide", 12, new Dictionary<string, string>(), validateOnly: false, CancellationToken.None);
        var members = new List<ConsumerProtocolMember>();
        for (int i = 0; i < 3; i++)
        {
            members.Add(new ConsumerProtocolMember(test.Groups, "g", ["wide"]));
            await members[^1].JoinAsync();
        }
        await ReconcileAsync(test, members);
        Assert.All(members, m => Assert.Equal(4, m.Owned.Count));
        var before = members.ConvertAll(m => m.Owned.ToHashSet());

        members.Add(new ConsumerProtocolMember(test.Groups, "g", ["wide"]));
        await members[^1].JoinAsync();
        await ReconcileAsync(test, members);
        Assert.All(members, m => Assert.Equal(3, m.Owned.Count));
        for (int i = 0; i < 3; i++)
        {
            Assert.True(members[i].Owned.IsSubsetOf(before[i]), "a member kept its partitions where balance allowed");
        }
        Assert.Equal(12, members.SelectMany(m => m.Owned).Distinct().Count());
    }

    [Fact]
    public async Task The_range_assignor_gives_contiguous_ranges_by_member_id()
    {
        await using var test = await StartAsync();
        await test.Broker.CreateTopicAsync("wide", 7, new Dictionary<string, string>(), validateOnly: false, CancellationToken.None);
        var members = new List<ConsumerProtocolMember>();
        for (int i = 0; i < 3; i++)
        {
            members.Add(new ConsumerProtocolMember(test.Groups, "g", ["wide"], assignor: "range"));
            await members[^1].JoinAsync();
        }
        await ReconcileAsync(test, members);
        Assert.Equal("range", Describe(test).AssignorName);
        members.Sort((a, b) => string.CompareOrdinal(a.MemberId, b.MemberId));
        Assert.Equal([0, 1, 2], members[0].Owned.Select(p => p.Partition));
        Assert.Equal([3, 4], members[1].Owned.Select(p => p.Partition));
        Assert.Equal([5, 6], members[2].Owned.Select(p => p.Partition));
    }

    [Fact]
    public async Task A_member_that_leaves_releases_its_partitions_at_once()
    {
        await using var test = await StartAsync();
        var (first, second) = await TwoStableMembersAsync(test);
        ConsumerGroupHeartbeatResponse left = await second.LeaveAsync();
        Assert.Equal(0, left.ErrorCode);
        Assert.Equal(-1, left.MemberEpoch);
        Assert.Equal(3, Describe(test).GroupEpoch);
        await first.HeartbeatAsync();
        Assert.Equal(4, first.Owned.Count);
        Assert.Equal(3, first.Epoch);
        Assert.Equal((short)ErrorCode.UnknownMemberId, (await second.HeartbeatAsync()).ErrorCode);
    }

    [Fact]
    public async Task A_silent_member_is_fenced_after_the_session_timeout_and_its_partitions_move()
    {
        await using var test = await StartAsync(o => o.ConsumerSessionTimeoutMs = 10_000);
        var (first, second) = await TwoStableMembersAsync(test);
        for (int i = 0; i < 3; i++)
        {
            test.Clock.Advance(TimeSpan.FromSeconds(4));
            Assert.Equal(0, (await first.HeartbeatAsync()).ErrorCode);
        }
        // 12 s without a heartbeat from the second member (> 10 s).
        Assert.Single(Describe(test).Members);
        await first.HeartbeatAsync();
        Assert.Equal(4, first.Owned.Count);
        Assert.Equal((short)ErrorCode.UnknownMemberId, (await second.HeartbeatAsync()).ErrorCode);
    }

    [Fact]
    public async Task A_member_that_does_not_revoke_within_its_rebalance_timeout_is_fenced()
    {
        await using var test = await StartAsync(o => o.ConsumerSessionTimeoutMs = 60_000);
        var first = new ConsumerProtocolMember(test.Groups, "g", Orders) { RebalanceTimeoutMs = 5_000 };
        await first.JoinAsync();
        var second = new ConsumerProtocolMember(test.Groups, "g", Orders);
        await second.JoinAsync();
        var all = first.Owned.ToList();
        await first.HeartbeatAsync(all);
        Assert.Equal(2, first.Owned.Count);
        test.Clock.Advance(TimeSpan.FromSeconds(3));
        await first.HeartbeatAsync(all);
        Assert.Equal(0, first.Last.ErrorCode);
        test.Clock.Advance(TimeSpan.FromSeconds(3));
        // Still reporting the partitions it had to give up 6 s ago (> 5 s): fenced.
        Assert.Equal((short)ErrorCode.UnknownMemberId, (await first.HeartbeatAsync(all)).ErrorCode);
        await second.HeartbeatAsync();
        Assert.Equal(4, second.Owned.Count);
    }

    [Fact]
    public async Task Epochs_are_fenced_as_Kafka_fences_them()
    {
        await using var test = await StartAsync();
        var (first, _) = await TwoStableMembersAsync(test);
        Assert.Equal(2, first.Epoch);
        Assert.Equal((short)ErrorCode.FencedMemberEpoch, (await first.HeartbeatAsync(epoch: 3)).ErrorCode);
        // The previous epoch but owning partitions it is not assigned: fenced.
        var everything = Enumerable.Range(0, 4).Select(p => (IdOf(test, Topic), p)).ToList();
        Assert.Equal((short)ErrorCode.FencedMemberEpoch, (await first.HeartbeatAsync(everything, epoch: 1)).ErrorCode);
        // The previous epoch with no more than the assigned partitions: the last response was lost, accepted.
        Assert.Equal(0, (await first.HeartbeatAsync(epoch: 1)).ErrorCode);
        Assert.Equal(2, first.Epoch);
        var unknown = new ConsumerProtocolMember(test.Groups, "g", Orders) { MemberId = "ghost", Epoch = 1 };
        Assert.Equal((short)ErrorCode.UnknownMemberId, (await unknown.HeartbeatAsync()).ErrorCode);
        var elsewhere = new ConsumerProtocolMember(test.Groups, "nope", Orders) { MemberId = "ghost", Epoch = 1 };
        Assert.Equal((short)ErrorCode.GroupIdNotFound, (await elsewhere.HeartbeatAsync()).ErrorCode);
    }

    [Fact]
    public async Task Malformed_heartbeats_are_invalid_requests_and_unknown_assignors_unsupported()
    {
        await using var test = await StartAsync();
        async Task<ErrorCode> Send(ConsumerGroupHeartbeatRequest request) =>
            (ErrorCode)(await test.Groups.ConsumerGroupHeartbeatAsync(request, "c", "/h", CancellationToken.None)).ErrorCode;
        Assert.Equal(ErrorCode.InvalidRequest, await Send(new() { GroupId = "", MemberEpoch = 0, RebalanceTimeoutMs = 1, SubscribedTopicNames = [Topic], TopicPartitions = [] }));
        Assert.Equal(ErrorCode.InvalidRequest, await Send(new() { GroupId = "g", MemberEpoch = 0, SubscribedTopicNames = [Topic], TopicPartitions = [] }));
        Assert.Equal(ErrorCode.InvalidRequest, await Send(new() { GroupId = "g", MemberEpoch = 0, RebalanceTimeoutMs = 1, TopicPartitions = [] }));
        Assert.Equal(ErrorCode.InvalidRequest, await Send(new() { GroupId = "g", MemberEpoch = 3, MemberId = "" }));
        Assert.Equal(ErrorCode.InvalidRequest, await Send(new() { GroupId = "g", MemberEpoch = -2, MemberId = "m" }));
        Assert.Equal(ErrorCode.InvalidRequest, await Send(new() { GroupId = "g", MemberEpoch = -3, MemberId = "m" }));
        Assert.Equal(ErrorCode.UnsupportedAssignor, await Send(new() { GroupId = "g", MemberEpoch = 0, RebalanceTimeoutMs = 1, SubscribedTopicNames = [Topic], TopicPartitions = [], ServerAssignor = "sticky" }));
    }

    [Fact]
    public async Task A_static_member_that_leaves_for_now_keeps_its_partitions_and_gets_them_back_under_a_new_id()
    {
        await using var test = await StartAsync(o => o.ConsumerSessionTimeoutMs = 30_000);
        var first = new ConsumerProtocolMember(test.Groups, "g", Orders);
        var stat = new ConsumerProtocolMember(test.Groups, "g", Orders, instanceId: "instance-1");
        await first.JoinAsync();
        await stat.JoinAsync();
        await ReconcileAsync(test, [first, stat]);
        var kept = stat.Owned.ToList();
        string oldId = stat.MemberId;
        int groupEpoch = Describe(test).GroupEpoch;

        Assert.Equal(-2, (await stat.LeaveAsync(-2)).MemberEpoch);
        await first.HeartbeatAsync();
        Assert.Equal(2, first.Owned.Count);
        Assert.Equal(groupEpoch, Describe(test).GroupEpoch);

        var restarted = new ConsumerProtocolMember(test.Groups, "g", Orders, instanceId: "instance-1");
        ConsumerGroupHeartbeatResponse rejoined = await restarted.JoinAsync();
        Assert.Equal(0, rejoined.ErrorCode);
        Assert.NotEqual(oldId, restarted.MemberId);
        Assert.Equal(kept, restarted.Owned);
        Assert.Equal(groupEpoch, restarted.Epoch);
        Assert.Equal(groupEpoch, Describe(test).GroupEpoch);
        // The old member id now belongs to nobody; its instance id to the new member.
        stat.Epoch = groupEpoch;
        Assert.Equal((short)ErrorCode.FencedInstanceId, (await stat.LeaveAsync()).ErrorCode);
    }

    [Fact]
    public async Task A_static_instance_id_still_in_use_is_unreleased()
    {
        await using var test = await StartAsync();
        var stat = new ConsumerProtocolMember(test.Groups, "g", Orders, instanceId: "instance-1");
        await stat.JoinAsync();
        var twin = new ConsumerProtocolMember(test.Groups, "g", Orders, instanceId: "instance-1");
        Assert.Equal((short)ErrorCode.UnreleasedInstanceId, (await twin.JoinAsync()).ErrorCode);
    }

    [Fact]
    public async Task A_static_member_that_never_returns_is_removed_when_its_session_ends()
    {
        await using var test = await StartAsync(o => o.ConsumerSessionTimeoutMs = 10_000);
        var first = new ConsumerProtocolMember(test.Groups, "g", Orders);
        var stat = new ConsumerProtocolMember(test.Groups, "g", Orders, instanceId: "instance-1");
        await first.JoinAsync();
        await stat.JoinAsync();
        await ReconcileAsync(test, [first, stat]);
        await stat.LeaveAsync(-2);
        for (int i = 0; i < 3; i++)
        {
            test.Clock.Advance(TimeSpan.FromSeconds(4));
            await first.HeartbeatAsync();
        }
        Assert.Equal(4, first.Owned.Count);
        Assert.Single(Describe(test).Members);
    }

    [Fact]
    public async Task Commits_use_the_member_epoch_as_generation()
    {
        await using var test = await StartAsync();
        var (first, _) = await TwoStableMembersAsync(test);
        var entry = new OffsetCommitEntry(Topic, 0, 5, -1, null);
        Assert.Equal(ErrorCode.None, (await test.Groups.CommitOffsetsAsync(new OffsetCommitter("g", first.Epoch, first.MemberId, null), [entry], CancellationToken.None))[0]);
        Assert.Equal(ErrorCode.StaleMemberEpoch, (await test.Groups.CommitOffsetsAsync(new OffsetCommitter("g", first.Epoch - 1, first.MemberId, null), [entry], CancellationToken.None))[0]);
        Assert.Equal(ErrorCode.UnknownMemberId, (await test.Groups.CommitOffsetsAsync(new OffsetCommitter("g", first.Epoch, "ghost", null), [entry], CancellationToken.None))[0]);
        Assert.Equal(ErrorCode.UnknownMemberId, (await test.Groups.CommitOffsetsAsync(new OffsetCommitter("g", -1, "", null), [entry], CancellationToken.None))[0]);
        Assert.Equal(ErrorCode.None, test.Groups.ValidateOffsetFetch("g", first.MemberId, first.Epoch));
        Assert.Equal(ErrorCode.None, test.Groups.ValidateOffsetFetch("g", null, -1));
        Assert.Equal(ErrorCode.StaleMemberEpoch, test.Groups.ValidateOffsetFetch("g", first.MemberId, first.Epoch + 1));
        Assert.Equal(ErrorCode.UnknownMemberId, test.Groups.ValidateOffsetFetch("g", "ghost", 1));
        Assert.True(test.Groups.TryFetchOffsets("g", [(Topic, 0)], out var offsets));
        Assert.Equal(5, offsets[0].Value!.Offset);
        (ErrorCode groupError, ErrorCode[] deleted) = await test.Groups.DeleteOffsetsAsync("g", [(Topic, 0)], CancellationToken.None);
        Assert.Equal((ErrorCode.None, ErrorCode.GroupSubscribedToTopic), (groupError, deleted[0]));
    }

    [Fact]
    public async Task Consumer_and_classic_groups_do_not_share_a_group_id()
    {
        await using var test = await StartAsync();
        await test.StableSingleMemberAsync("classic", [1]);
        var member = new ConsumerProtocolMember(test.Groups, "classic", Orders);
        Assert.Equal((short)ErrorCode.GroupIdNotFound, (await member.JoinAsync()).ErrorCode);
        Assert.Equal((short)ErrorCode.GroupIdNotFound, test.Groups.DescribeConsumerGroup("classic").ErrorCode);

        var modern = new ConsumerProtocolMember(test.Groups, "modern", Orders);
        await modern.JoinAsync();
        JoinGroupResponse refused = await Within(test.Groups.JoinAsync(Join("modern", protocols: "range")));
        Assert.Equal((short)ErrorCode.InconsistentGroupProtocol, refused.ErrorCode);
        Assert.Equal(GroupState.Dead, test.Groups.DescribeGroup("modern").State);
    }

    [Fact]
    public async Task ListGroups_and_DeleteGroups_see_consumer_groups()
    {
        await using var test = await StartAsync();
        var member = new ConsumerProtocolMember(test.Groups, "modern", Orders);
        await member.JoinAsync();
        await test.Groups.CommitOffsetsAsync(new OffsetCommitter("modern", member.Epoch, member.MemberId, null), [new OffsetCommitEntry(Topic, 1, 9, -1, null)], CancellationToken.None);
        GroupListing listed = Assert.Single(test.Groups.ListGroups());
        Assert.Equal(("modern", "consumer", "Stable", "consumer"), (listed.GroupId, listed.Type, listed.StateText, listed.ProtocolType));
        Assert.Equal(ErrorCode.NonEmptyGroup, await test.Groups.DeleteGroupAsync("modern", CancellationToken.None));

        await member.LeaveAsync();
        Assert.Equal("Empty", Assert.Single(test.Groups.ListGroups()).StateText);
        Assert.Equal(ErrorCode.None, await test.Groups.DeleteGroupAsync("modern", CancellationToken.None));
        Assert.Empty(test.Groups.ListGroups());
        Assert.Equal((short)ErrorCode.GroupIdNotFound, test.Groups.DescribeConsumerGroup("modern").ErrorCode);
        Assert.False(test.Groups.TryFetchOffsets("modern", [(Topic, 1)], out _));
    }

    [Fact]
    public async Task Consumer_groups_are_rebuilt_from_their_records_on_restart()
    {
        await using var test = await StartAsync();
        var (first, second) = await TwoStableMembersAsync(test);
        await test.Groups.CommitOffsetsAsync(new OffsetCommitter("g", first.Epoch, first.MemberId, null), [new OffsetCommitEntry(Topic, 2, 11, -1, null)], CancellationToken.None);
        ConsumerGroupDescribeResponse.DescribedGroup before = Describe(test);

        await test.RestartAsync();
        first = Rebind(test, first);
        second = Rebind(test, second);
        ConsumerGroupDescribeResponse.DescribedGroup after = Describe(test);
        Assert.Equal(before.GroupEpoch, after.GroupEpoch);
        Assert.Equal(before.AssignmentEpoch, after.AssignmentEpoch);
        Assert.Equal("Stable", after.GroupState);
        Assert.Equal(before.Members.Select(m => (m.MemberId, m.MemberEpoch, string.Join(",", m.Assignment.TopicPartitions.SelectMany(t => t.Partitions)))),
            after.Members.Select(m => (m.MemberId, m.MemberEpoch, string.Join(",", m.Assignment.TopicPartitions.SelectMany(t => t.Partitions)))));
        Assert.Equal(0, (await first.HeartbeatAsync()).ErrorCode);
        Assert.Equal(0, (await second.HeartbeatAsync()).ErrorCode);
        Assert.True(test.Groups.TryFetchOffsets("g", [(Topic, 2)], out var offsets));
        Assert.Equal(11, offsets[0].Value!.Offset);

        // The rebuilt group still reconciles: a member leaving hands its partitions to the other.
        await second.LeaveAsync();
        await first.HeartbeatAsync();
        Assert.Equal(4, first.Owned.Count);
    }

    /// <summary>The same member (id, epoch, partitions) talking to a restarted coordinator.</summary>
    private static ConsumerProtocolMember Rebind(CoordinatorUnderTest test, ConsumerProtocolMember member)
    {
        var again = new ConsumerProtocolMember(test.Groups, "g", Orders) { MemberId = member.MemberId, Epoch = member.Epoch };
        again.Owned.UnionWith(member.Owned);
        return again;
    }

    private static async Task<(ConsumerProtocolMember First, ConsumerProtocolMember Second)> TwoStableMembersAsync(CoordinatorUnderTest test)
    {
        var first = new ConsumerProtocolMember(test.Groups, "g", Orders);
        var second = new ConsumerProtocolMember(test.Groups, "g", Orders);
        await first.JoinAsync();
        await second.JoinAsync();
        await ReconcileAsync(test, [first, second]);
        Assert.Equal(2, first.Owned.Count);
        Assert.Equal(2, second.Owned.Count);
        return (first, second);
    }

    /// <summary>Heartbeats every member in turn until the group is Stable (a bounded number of rounds).</summary>
    private static async Task ReconcileAsync(CoordinatorUnderTest test, List<ConsumerProtocolMember> members)
    {
        for (int round = 0; round < 10 && Describe(test).GroupState != "Stable"; round++)
        {
            foreach (ConsumerProtocolMember member in members)
            {
                Assert.Equal(0, (await member.HeartbeatAsync()).ErrorCode);
            }
        }
        Assert.Equal("Stable", Describe(test).GroupState);
        foreach (ConsumerProtocolMember member in members)
        {
            await member.HeartbeatAsync();
        }
    }
}
