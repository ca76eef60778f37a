using Brook.Broker.Groups;
using Brook.Protocol.Errors;
using Brook.Protocol.Messages;
using static Brook.Broker.Tests.Groups.CoordinatorUnderTest;

namespace Brook.Broker.Tests.Groups;

public sealed class JoinAndSyncTests
{
    [Fact]
    public async Task A_join_without_member_id_at_v4_gets_MEMBER_ID_REQUIRED_with_a_generated_id()
    {
        await using var test = await StartAsync();
        JoinGroupResponse first = await test.Groups.JoinAsync(Join("g", version: 4));
        Assert.Equal((short)ErrorCode.MemberIdRequired, first.ErrorCode);
        Assert.StartsWith("client-", first.MemberId, StringComparison.Ordinal);
        JoinGroupResponse joined = await Within(test.Groups.JoinAsync(Join("g", first.MemberId, version: 4)));
        Assert.Equal(0, joined.ErrorCode);
        Assert.Equal(first.MemberId, joined.MemberId);
        Assert.Equal(first.MemberId, joined.Leader);
        Assert.Equal(1, joined.GenerationId);
        Assert.Equal("range", joined.ProtocolName);
        Assert.Single(joined.Members);
    }

    [Fact]
    public async Task A_join_without_member_id_before_v4_joins_at_once()
    {
        await using var test = await StartAsync();
        JoinGroupResponse joined = await Within(test.Groups.JoinAsync(Join("g", version: 2)));
        Assert.Equal(0, joined.ErrorCode);
        Assert.Equal(joined.MemberId, joined.Leader);
        Assert.Equal(GroupState.CompletingRebalance, test.Groups.DescribeGroup("g").State);
    }

    [Fact]
    public async Task A_join_with_an_unknown_member_id_is_rejected()
    {
        await using var test = await StartAsync();
        JoinGroupResponse response = await test.Groups.JoinAsync(Join("g", "nobody"));
        Assert.Equal((short)ErrorCode.UnknownMemberId, response.ErrorCode);
    }

    [Fact]
    public async Task Session_timeouts_outside_the_configured_bounds_are_rejected()
    {
        await using var test = await StartAsync();
        JoinGroupResponse tooShort = await test.Groups.JoinAsync(Join("g", sessionTimeoutMs: 10));
        Assert.Equal((short)ErrorCode.InvalidSessionTimeout, tooShort.ErrorCode);
    }

    [Fact]
    public async Task Members_without_a_common_protocol_are_inconsistent()
    {
        await using var test = await StartAsync();
        await test.StableSingleMemberAsync("g", [1]);
        JoinGroupResponse other = await test.Groups.JoinAsync(Join("g", protocols: "roundrobin"));
        Assert.Equal((short)ErrorCode.InconsistentGroupProtocol, other.ErrorCode);
    }

    [Fact]
    public async Task The_protocol_all_members_support_wins_by_vote_and_only_the_leader_gets_the_members()
    {
        await using var test = await StartAsync();
        Task<JoinGroupResponse> a = await test.JoinNewMemberAsync("g", protocols: ["roundrobin", "range"]);
        JoinGroupResponse leader = await Within(a);
        Assert.Equal("roundrobin", leader.ProtocolName);
        // Two more members prefer range; range also is supported by the first, so it wins 2 to 1.
        await Within(test.Groups.SyncAsync("g", leader.GenerationId, leader.MemberId, null, null, null, [(leader.MemberId, [])]));
        Task<JoinGroupResponse> b = await test.JoinNewMemberAsync("g", protocols: ["range", "roundrobin", "sticky"]);
        Task<JoinGroupResponse> c = await test.JoinNewMemberAsync("g", protocols: ["range", "roundrobin"]);
        Assert.Equal(ErrorCode.RebalanceInProgress, test.Groups.Heartbeat("g", leader.GenerationId, leader.MemberId, null));
        Task<JoinGroupResponse> rejoin = test.Groups.JoinAsync(Join("g", leader.MemberId, protocols: ["roundrobin", "range"]));
        JoinGroupResponse[] all = await Within(Task.WhenAll(rejoin, b, c));
        Assert.All(all, r => Assert.Equal("range", r.ProtocolName));
        Assert.All(all, r => Assert.Equal(2, r.GenerationId));
        Assert.Equal(3, all[0].Members.Count);
        Assert.Empty(all[1].Members);
        Assert.Empty(all[2].Members);
        Assert.All(all, r => Assert.Equal(leader.MemberId, r.Leader));
    }

    [Fact]
    public async Task The_leaders_assignment_reaches_every_member_and_the_group_becomes_stable()
    {
        await using var test = await StartAsync();
        Task<JoinGroupResponse> a = await test.JoinNewMemberAsync("g");
        JoinGroupResponse first = await Within(a);
        await Within(test.Groups.SyncAsync("g", first.GenerationId, first.MemberId, null, null, null, [(first.MemberId, [9])]));
        Task<JoinGroupResponse> b = await test.JoinNewMemberAsync("g");
        Task<JoinGroupResponse> again = test.Groups.JoinAsync(Join("g", first.MemberId));
        JoinGroupResponse[] joined = await Within(Task.WhenAll(again, b));
        JoinGroupResponse leader = joined[0];
        JoinGroupResponse follower = joined[1];
        Task<SyncGroupResponse> followerSync = test.Groups.SyncAsync("g", follower.GenerationId, follower.MemberId, null, "consumer", "range", []);
        Assert.False(followerSync.IsCompleted);
        Assert.Equal(ErrorCode.None, test.Groups.Heartbeat("g", follower.GenerationId, follower.MemberId, null));
        SyncGroupResponse leaderSync = await Within(test.Groups.SyncAsync("g", leader.GenerationId, leader.MemberId, null, "consumer", "range",
            [(leader.MemberId, [1]), (follower.MemberId, [2])]));
        Assert.Equal(new byte[] { 1 }, leaderSync.Assignment.ToArray());
        Assert.Equal(new byte[] { 2 }, (await Within(followerSync)).Assignment.ToArray());
        Assert.Equal(GroupState.Stable, test.Groups.DescribeGroup("g").State);
        SyncGroupResponse late = await Within(test.Groups.SyncAsync("g", follower.GenerationId, follower.MemberId, null, null, null, []));
        Assert.Equal(new byte[] { 2 }, late.Assignment.ToArray());
    }

    [Fact]
    public async Task Sync_checks_generation_member_and_protocol()
    {
        await using var test = await StartAsync();
        JoinGroupResponse joined = await test.StableSingleMemberAsync("g", [1]);
        Assert.Equal((short)ErrorCode.IllegalGeneration, (await test.Groups.SyncAsync("g", joined.GenerationId + 1, joined.MemberId, null, null, null, [])).ErrorCode);
        Assert.Equal((short)ErrorCode.UnknownMemberId, (await test.Groups.SyncAsync("g", joined.GenerationId, "ghost", null, null, null, [])).ErrorCode);
        Assert.Equal((short)ErrorCode.UnknownMemberId, (await test.Groups.SyncAsync("other", 1, "ghost", null, null, null, [])).ErrorCode);
        Assert.Equal((short)ErrorCode.InconsistentGroupProtocol, (await test.Groups.SyncAsync("g", joined.GenerationId, joined.MemberId, null, "consumer", "roundrobin", [])).ErrorCode);
    }

    [Fact]
    public async Task Sync_during_a_rebalance_is_told_to_rejoin()
    {
        await using var test = await StartAsync();
        JoinGroupResponse first = await test.StableSingleMemberAsync("g", [1]);
        _ = await test.JoinNewMemberAsync("g");
        Assert.Equal(GroupState.PreparingRebalance, test.Groups.DescribeGroup("g").State);
        SyncGroupResponse sync = await test.Groups.SyncAsync("g", first.GenerationId, first.MemberId, null, null, null, []);
        Assert.Equal((short)ErrorCode.RebalanceInProgress, sync.ErrorCode);
    }

    [Fact]
    public async Task The_first_rebalance_waits_for_the_initial_delay()
    {
        await using var test = await StartAsync(o => o.InitialRebalanceDelay = TimeSpan.FromSeconds(3));
        Task<JoinGroupResponse> a = await test.JoinNewMemberAsync("g");
        test.Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.False(a.IsCompleted);
        Task<JoinGroupResponse> b = await test.JoinNewMemberAsync("g");
        // A member joined during the delay, so the delay is extended once more.
        test.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.False(a.IsCompleted);
        test.Clock.Advance(TimeSpan.FromSeconds(3));
        JoinGroupResponse[] joined = await Within(Task.WhenAll(a, b));
        Assert.All(joined, r => Assert.Equal(1, r.GenerationId));
        Assert.Equal(2, joined[0].Members.Count);
    }

    [Fact]
    public async Task A_member_that_does_not_rejoin_within_the_rebalance_timeout_is_dropped()
    {
        await using var test = await StartAsync();
        JoinGroupResponse first = await test.StableSingleMemberAsync("g", [1], sessionTimeoutMs: 60_000);
        Task<JoinGroupResponse> second = await test.JoinNewMemberAsync("g", sessionTimeoutMs: 60_000);
        test.Clock.Advance(TimeSpan.FromSeconds(29));
        Assert.False(second.IsCompleted);
        test.Clock.Advance(TimeSpan.FromSeconds(2));
        JoinGroupResponse joined = await Within(second);
        Assert.Equal(0, joined.ErrorCode);
        Assert.Equal(joined.MemberId, joined.Leader);
        Assert.Single(joined.Members);
        Assert.Equal(ErrorCode.UnknownMemberId, test.Groups.Heartbeat("g", first.GenerationId, first.MemberId, null));
    }

    [Fact]
    public async Task A_member_that_never_syncs_is_removed_after_the_rebalance_timeout()
    {
        await using var test = await StartAsync();
        JoinGroupResponse joined = await Within(await test.JoinNewMemberAsync("g", sessionTimeoutMs: 60_000, rebalanceTimeoutMs: 5000));
        Assert.Equal(GroupState.CompletingRebalance, test.Groups.DescribeGroup("g").State);
        test.Clock.Advance(TimeSpan.FromSeconds(6));
        GroupDescription group = test.Groups.DescribeGroup("g");
        Assert.Equal(GroupState.Empty, group.State);
        Assert.Equal(ErrorCode.UnknownMemberId, test.Groups.Heartbeat("g", joined.GenerationId, joined.MemberId, null));
    }
}
