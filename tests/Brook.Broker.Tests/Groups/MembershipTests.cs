using Brook.Broker.Groups;
using Brook.Protocol.Errors;
using Brook.Protocol.Messages;
using static Brook.Broker.Tests.Groups.CoordinatorUnderTest;

namespace Brook.Broker.Tests.Groups;

public sealed class MembershipTests
{
    [Fact]
    public async Task Heartbeats_are_checked_for_group_member_and_generation()
    {
        await using var test = await StartAsync();
        JoinGroupResponse joined = await test.StableSingleMemberAsync("g", [1]);
        Assert.Equal(ErrorCode.None, test.Groups.Heartbeat("g", joined.GenerationId, joined.MemberId, null));
        Assert.Equal(ErrorCode.IllegalGeneration, test.Groups.Heartbeat("g", joined.GenerationId - 1, joined.MemberId, null));
        Assert.Equal(ErrorCode.UnknownMemberId, test.Groups.Heartbeat("g", joined.GenerationId, "ghost", null));
        Assert.Equal(ErrorCode.UnknownMemberId, test.Groups.Heartbeat("nope", 1, joined.MemberId, null));
    }

    [Fact]
    public async Task Heartbeats_keep_a_member_alive_past_its_session_timeout()
    {
        await using var test = await StartAsync();
        JoinGroupResponse joined = await test.StableSingleMemberAsync("g", [1], sessionTimeoutMs: 10_000);
        for (int i = 0; i < 5; i++)
        {
            test.Clock.Advance(TimeSpan.FromSeconds(6));
            Assert.Equal(ErrorCode.None, test.Groups.Heartbeat("g", joined.GenerationId, joined.MemberId, null));
        }
        Assert.Equal(GroupState.Stable, test.Groups.DescribeGroup("g").State);
    }

    [Fact]
    public async Task A_silent_member_expires_after_its_session_timeout_and_the_others_rebalance()
    {
        await using var test = await StartAsync();
        JoinGroupResponse first = await test.StableSingleMemberAsync("g", [1], sessionTimeoutMs: 30_000);
        Task<JoinGroupResponse> second = await test.JoinNewMemberAsync("g", sessionTimeoutMs: 10_000);
        JoinGroupResponse[] joined = await Within(Task.WhenAll(test.Groups.JoinAsync(Join("g", first.MemberId, sessionTimeoutMs: 30_000)), second));
        await Within(Task.WhenAll(
            test.Groups.SyncAsync("g", joined[0].GenerationId, joined[0].MemberId, null, null, null, [(joined[0].MemberId, [1]), (joined[1].MemberId, [2])]),
            test.Groups.SyncAsync("g", joined[1].GenerationId, joined[1].MemberId, null, null, null, [])));
        test.Clock.Advance(TimeSpan.FromSeconds(8));
        Assert.Equal(ErrorCode.None, test.Groups.Heartbeat("g", joined[0].GenerationId, joined[0].MemberId, null));
        test.Clock.Advance(TimeSpan.FromSeconds(3));
        // The second member sent nothing for 11 s (> its 10 s session): it is gone and the group rebalances.
        Assert.Equal(GroupState.PreparingRebalance, test.Groups.DescribeGroup("g").State);
        Assert.Equal(ErrorCode.RebalanceInProgress, test.Groups.Heartbeat("g", joined[0].GenerationId, joined[0].MemberId, null));
        JoinGroupResponse rejoined = await Within(test.Groups.JoinAsync(Join("g", first.MemberId, sessionTimeoutMs: 30_000)));
        Assert.Equal(joined[0].GenerationId + 1, rejoined.GenerationId);
        Assert.Single(rejoined.Members);
        Assert.Equal(ErrorCode.UnknownMemberId, test.Groups.Heartbeat("g", joined[1].GenerationId, joined[1].MemberId, null));
    }

    [Fact]
    public async Task The_last_member_expiring_leaves_the_group_empty()
    {
        await using var test = await StartAsync();
        await test.StableSingleMemberAsync("g", [1], sessionTimeoutMs: 10_000);
        test.Clock.Advance(TimeSpan.FromSeconds(11));
        Assert.Equal(GroupState.Empty, test.Groups.DescribeGroup("g").State);
    }

    [Fact]
    public async Task A_member_id_handed_out_with_MEMBER_ID_REQUIRED_is_forgotten_after_the_session_timeout()
    {
        await using var test = await StartAsync();
        JoinGroupResponse first = await test.Groups.JoinAsync(Join("g", sessionTimeoutMs: 10_000));
        test.Clock.Advance(TimeSpan.FromSeconds(11));
        JoinGroupResponse late = await test.Groups.JoinAsync(Join("g", first.MemberId));
        Assert.Equal((short)ErrorCode.UnknownMemberId, late.ErrorCode);
    }

    [Fact]
    public async Task Leaving_triggers_a_rebalance_for_the_rest()
    {
        await using var test = await StartAsync();
        JoinGroupResponse first = await test.StableSingleMemberAsync("g", [1]);
        Task<JoinGroupResponse> second = await test.JoinNewMemberAsync("g");
        JoinGroupResponse[] joined = await Within(Task.WhenAll(test.Groups.JoinAsync(Join("g", first.MemberId)), second));
        await Within(Task.WhenAll(
            test.Groups.SyncAsync("g", joined[0].GenerationId, joined[0].MemberId, null, null, null, [(joined[0].MemberId, [1]), (joined[1].MemberId, [2])]),
            test.Groups.SyncAsync("g", joined[1].GenerationId, joined[1].MemberId, null, null, null, [])));
        LeaveGroupResponse left = test.Groups.Leave("g", [(joined[1].MemberId, null), ("ghost", null)]);
        Assert.Equal(0, left.Members[0].ErrorCode);
        Assert.Equal((short)ErrorCode.UnknownMemberId, left.Members[1].ErrorCode);
        Assert.Equal(ErrorCode.RebalanceInProgress, test.Groups.Heartbeat("g", joined[0].GenerationId, joined[0].MemberId, null));
        JoinGroupResponse alone = await Within(test.Groups.JoinAsync(Join("g", first.MemberId)));
        Assert.Single(alone.Members);
    }

    [Fact]
    public async Task A_restarted_static_member_gets_its_old_assignment_without_a_rebalance()
    {
        await using var test = await StartAsync();
        JoinGroupResponse leader = await test.StableSingleMemberAsync("g", [7]);
        Task<JoinGroupResponse> staticJoin = test.Groups.JoinAsync(Join("g", instanceId: "i-1"));
        JoinGroupResponse[] joined = await Within(Task.WhenAll(test.Groups.JoinAsync(Join("g", leader.MemberId)), staticJoin));
        JoinGroupResponse leaderJoin = joined[0];
        Assert.Equal(2, leaderJoin.Members.Count);
        string staticId = leaderJoin.Members.Find(m => m.GroupInstanceId == "i-1")!.MemberId;
        await Within(Task.WhenAll(
            test.Groups.SyncAsync("g", leaderJoin.GenerationId, leader.MemberId, null, null, null, [(leader.MemberId, [1]), (staticId, [2])]),
            test.Groups.SyncAsync("g", leaderJoin.GenerationId, staticId, "i-1", null, null, [])));
        int generation = leaderJoin.GenerationId;

        JoinGroupResponse restarted = await Within(test.Groups.JoinAsync(Join("g", instanceId: "i-1")));
        Assert.Equal(0, restarted.ErrorCode);
        Assert.Equal(generation, restarted.GenerationId);
        Assert.NotEqual(staticId, restarted.MemberId);
        Assert.Equal(GroupState.Stable, test.Groups.DescribeGroup("g").State);
        SyncGroupResponse sync = await Within(test.Groups.SyncAsync("g", generation, restarted.MemberId, "i-1", null, null, []));
        Assert.Equal(new byte[] { 2 }, sync.Assignment.ToArray());
        Assert.Equal(ErrorCode.FencedInstanceId, test.Groups.Heartbeat("g", generation, staticId, "i-1"));
        Assert.Equal(ErrorCode.None, test.Groups.Heartbeat("g", generation, leader.MemberId, null));
    }

    [Fact]
    public async Task A_static_member_leaving_by_instance_id_with_a_stale_member_id_is_fenced()
    {
        await using var test = await StartAsync();
        JoinGroupResponse joined = await Within(test.Groups.JoinAsync(Join("g", instanceId: "i-1")));
        LeaveGroupResponse stale = test.Groups.Leave("g", [("old-id", "i-1")]);
        Assert.Equal((short)ErrorCode.FencedInstanceId, stale.Members[0].ErrorCode);
        LeaveGroupResponse left = test.Groups.Leave("g", [(joined.MemberId, "i-1")]);
        Assert.Equal(0, left.Members[0].ErrorCode);
        Assert.Equal(GroupState.Empty, test.Groups.DescribeGroup("g").State);
    }

    [Fact]
    public async Task Groups_are_listed_with_their_state_and_unknown_groups_describe_as_dead()
    {
        await using var test = await StartAsync();
        await test.StableSingleMemberAsync("a", [1]);
        await Within(test.Groups.JoinAsync(Join("b", version: 2)));
        List<GroupListing> groups = test.Groups.ListGroups();
        Assert.Equal(["a", "b"], groups.ConvertAll(g => g.GroupId));
        Assert.Equal([GroupState.Stable, GroupState.CompletingRebalance], groups.ConvertAll(g => g.State));
        Assert.Equal(GroupState.Dead, test.Groups.DescribeGroup("missing").State);
        GroupDescription a = test.Groups.DescribeGroup("a");
        Assert.Equal("range", a.Protocol);
        Assert.Equal(new byte[] { 1 }, a.Members[0].Assignment);
    }

    [Fact]
    public async Task A_full_group_turns_new_members_away()
    {
        await using var test = await StartAsync(o => o.MaxGroupSize = 1);
        await test.StableSingleMemberAsync("g", [1]);
        JoinGroupResponse refused = await test.Groups.JoinAsync(Join("g"));
        Assert.Equal((short)ErrorCode.GroupMaxSizeReached, refused.ErrorCode);
    }

    [Fact]
    public async Task A_stale_generation_cannot_rejoin_an_unknown_group_and_a_dead_member_cannot_commit_after_expiry()
    {
        await using var test = await StartAsync();
        JoinGroupResponse member = await test.StableSingleMemberAsync("g", [1], sessionTimeoutMs: 10_000);
        test.Clock.Advance(TimeSpan.FromSeconds(11));
        ErrorCode[] errors = await test.Groups.CommitOffsetsAsync(new OffsetCommitter("g", member.GenerationId, member.MemberId, null),
            [new OffsetCommitEntry(Topic, 0, 1, -1, null)], CancellationToken.None);
        Assert.Equal([ErrorCode.UnknownMemberId], errors);
        JoinGroupResponse rejoin = await test.Groups.JoinAsync(Join("g", member.MemberId));
        Assert.Equal((short)ErrorCode.UnknownMemberId, rejoin.ErrorCode);
    }
}
