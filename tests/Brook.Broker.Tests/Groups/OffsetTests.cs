using Brook.Broker.Groups;
using Brook.Protocol.Errors;
using Brook.Protocol.Messages;
using Brook.Tests.Shared;
using static Brook.Broker.Tests.Groups.CoordinatorUnderTest;

namespace Brook.Broker.Tests.Groups;

public sealed class OffsetTests
{
    private static OffsetCommitEntry Entry(int partition, long offset, string? metadata = "m", int epoch = 0) => new(Topic, partition, offset, epoch, metadata);

    [Fact]
    public async Task An_admin_commit_to_an_unknown_group_creates_it_and_is_fetched_back()
    {
        await using var test = await StartAsync();
        ErrorCode[] errors = await test.Groups.CommitOffsetsAsync(new OffsetCommitter("g", -1, "", null), [Entry(0, 42, "meta", 3), Entry(1, 7)], CancellationToken.None);
        Assert.Equal([ErrorCode.None, ErrorCode.None], errors);
        Assert.True(test.Groups.TryFetchOffsets("g", [(Topic, 0), (Topic, 1), (Topic, 2)], out var offsets));
        Assert.Equal(42, offsets[0].Value!.Offset);
        Assert.Equal("meta", offsets[0].Value!.Metadata);
        Assert.Equal(3, offsets[0].Value!.LeaderEpoch);
        Assert.Equal(7, offsets[1].Value!.Offset);
        Assert.Null(offsets[2].Value);
        Assert.Equal(GroupState.Empty, test.Groups.DescribeGroup("g").State);
    }

    [Fact]
    public async Task Deleting_a_topic_removes_its_committed_offsets_from_every_group_and_a_restart_does_not_bring_them_back()
    {
        await using var test = await StartAsync();
        await test.Broker.CreateTopicAsync("kept", 1, new Dictionary<string, string>(), validateOnly: false, CancellationToken.None);
        var admin = new OffsetCommitter("g", -1, "", null);
        await test.Groups.CommitOffsetsAsync(admin, [Entry(0, 10), Entry(3, 30), new OffsetCommitEntry("kept", 0, 5, 0, null)], CancellationToken.None);
        await test.Groups.CommitOffsetsAsync(new OffsetCommitter("h", -1, "", null), [Entry(1, 11)], CancellationToken.None);

        Assert.True(test.Broker.TryGetTopic(Topic, out var topic));
        Assert.Equal(ErrorCode.None, (await test.Broker.DeleteTopicAsync(topic, CancellationToken.None)).Error);

        AssertOnlyKeptOffsets(test);
        await test.RestartAsync();
        AssertOnlyKeptOffsets(test);
    }

    [Fact]
    public async Task A_commit_still_being_written_when_its_topic_is_deleted_leaves_no_offsets_behind()
    {
        await using var test = await StartAsync();
        var admin = new OffsetCommitter("g", -1, "", null);
        // A first commit, to another topic, creates __consumer_offsets.
        await test.Broker.CreateTopicAsync("kept", 1, new Dictionary<string, string>(), validateOnly: false, CancellationToken.None);
        Assert.Equal([ErrorCode.None], await test.Groups.CommitOffsetsAsync(admin, [new OffsetCommitEntry("kept", 0, 5, 0, null)], CancellationToken.None));
        int offsetsPartition = OffsetsTopic.PartitionFor("g", 3);
        Task<ErrorCode[]> commit;
        using (new HeldLock(test.Broker.FindPartition(OffsetsTopic.Name, offsetsPartition)!.Log.FlushLock))
        {
            // The commit was validated and appended, and waits for its fsync while the topic goes.
            commit = test.Groups.CommitOffsetsAsync(admin, [Entry(0, 10)], CancellationToken.None);
            Assert.False(commit.IsCompleted);
            Assert.True(test.Broker.TryGetTopic(Topic, out var topic));
            Assert.Equal(ErrorCode.None, (await test.Broker.DeleteTopicAsync(topic, CancellationToken.None)).Error);
        }
        await Within(commit);

        Assert.True(test.Groups.TryFetchOffsets("g", [(Topic, 0)], out var offsets));
        Assert.Null(offsets[0].Value);
        await test.RestartAsync();
        Assert.True(test.Groups.TryFetchOffsets("g", [(Topic, 0)], out var afterRestart));
        Assert.Null(afterRestart[0].Value);
    }

    private static void AssertOnlyKeptOffsets(CoordinatorUnderTest test)
    {
        Assert.True(test.Groups.TryFetchOffsets("g", null, out var g));
        Assert.Equal([("kept", 0, 5L)], g.Select(o => (o.Topic, o.Partition, o.Value!.Offset)));
        Assert.True(test.Groups.TryFetchOffsets("h", [(Topic, 1)], out var h));
        Assert.Null(h[0].Value);
    }

    [Fact]
    public async Task Committed_offsets_and_groups_survive_a_restart()
    {
        await using var test = await StartAsync();
        JoinGroupResponse member = await test.StableSingleMemberAsync("g", [5]);
        await test.Groups.CommitOffsetsAsync(new OffsetCommitter("g", member.GenerationId, member.MemberId, null), [Entry(0, 10, "first")], CancellationToken.None);
        await test.Groups.CommitOffsetsAsync(new OffsetCommitter("g", member.GenerationId, member.MemberId, null), [Entry(0, 20, "second", 4)], CancellationToken.None);
        await test.Groups.CommitOffsetsAsync(new OffsetCommitter("other", -1, "", null), [Entry(3, 99)], CancellationToken.None);
        await test.RestartAsync();
        Assert.True(test.Groups.TryFetchOffsets("g", [(Topic, 0)], out var offsets));
        Assert.Equal(20, offsets[0].Value!.Offset);
        Assert.Equal("second", offsets[0].Value!.Metadata);
        Assert.Equal(4, offsets[0].Value!.LeaderEpoch);
        Assert.True(test.Groups.TryFetchOffsets("other", null, out var all));
        Assert.Equal(99, Assert.Single(all).Value!.Offset);
        // The stored group comes back Stable with its member and assignment, so the member heartbeats on.
        GroupDescription group = test.Groups.DescribeGroup("g");
        Assert.Equal(GroupState.Stable, group.State);
        Assert.Equal(new byte[] { 5 }, Assert.Single(group.Members).Assignment);
        Assert.Equal(ErrorCode.None, test.Groups.Heartbeat("g", member.GenerationId, member.MemberId, null));
    }

    [Fact]
    public async Task Commits_are_fenced_by_generation_member_and_rebalance_state()
    {
        await using var test = await StartAsync();
        JoinGroupResponse member = await test.StableSingleMemberAsync("g", [1]);
        Assert.Equal([ErrorCode.IllegalGeneration], await test.Groups.CommitOffsetsAsync(new OffsetCommitter("g", member.GenerationId - 1, member.MemberId, null), [Entry(0, 1)], CancellationToken.None));
        Assert.Equal([ErrorCode.UnknownMemberId], await test.Groups.CommitOffsetsAsync(new OffsetCommitter("g", member.GenerationId, "ghost", null), [Entry(0, 1)], CancellationToken.None));
        Assert.Equal([ErrorCode.UnknownMemberId], await test.Groups.CommitOffsetsAsync(new OffsetCommitter("g", -1, "", null), [Entry(0, 1)], CancellationToken.None));
        Assert.Equal([ErrorCode.IllegalGeneration], await test.Groups.CommitOffsetsAsync(new OffsetCommitter("unknown", 3, "m", null), [Entry(0, 1)], CancellationToken.None));
        Assert.Equal([ErrorCode.InvalidGroupId], await test.Groups.CommitOffsetsAsync(new OffsetCommitter("", -1, "", null), [Entry(0, 1)], CancellationToken.None));
        Assert.Equal([ErrorCode.UnknownTopicOrPartition], await test.Groups.CommitOffsetsAsync(new OffsetCommitter("g", member.GenerationId, member.MemberId, null), [new OffsetCommitEntry("nope", 0, 1, -1, null)], CancellationToken.None));
        Assert.Equal([ErrorCode.OffsetMetadataTooLarge], await test.Groups.CommitOffsetsAsync(new OffsetCommitter("g", member.GenerationId, member.MemberId, null), [Entry(0, 1, new string('x', 5000))], CancellationToken.None));

        // A second member starts a rebalance; once the join completes, commits wait for the sync.
        Task<JoinGroupResponse> second = await test.JoinNewMemberAsync("g");
        Assert.Equal([ErrorCode.None], await test.Groups.CommitOffsetsAsync(new OffsetCommitter("g", member.GenerationId, member.MemberId, null), [Entry(0, 5)], CancellationToken.None));
        JoinGroupResponse[] joined = await Within(Task.WhenAll(test.Groups.JoinAsync(Join("g", member.MemberId)), second));
        Assert.Equal([ErrorCode.RebalanceInProgress], await test.Groups.CommitOffsetsAsync(new OffsetCommitter("g", joined[0].GenerationId, member.MemberId, null), [Entry(0, 6)], CancellationToken.None));
        Assert.Equal([ErrorCode.IllegalGeneration], await test.Groups.CommitOffsetsAsync(new OffsetCommitter("g", member.GenerationId, member.MemberId, null), [Entry(0, 6)], CancellationToken.None));
    }

    [Fact]
    public async Task Only_an_empty_group_can_be_deleted_and_its_offsets_go_with_it()
    {
        await using var test = await StartAsync();
        await test.StableSingleMemberAsync("busy", [1]);
        Assert.Equal(ErrorCode.NonEmptyGroup, await test.Groups.DeleteGroupAsync("busy", CancellationToken.None));
        Assert.Equal(ErrorCode.GroupIdNotFound, await test.Groups.DeleteGroupAsync("missing", CancellationToken.None));
        await test.Groups.CommitOffsetsAsync(new OffsetCommitter("idle", -1, "", null), [Entry(0, 1)], CancellationToken.None);
        Assert.Equal(ErrorCode.None, await test.Groups.DeleteGroupAsync("idle", CancellationToken.None));
        Assert.False(test.Groups.TryFetchOffsets("idle", [(Topic, 0)], out var offsets));
        Assert.Null(offsets[0].Value);
        await test.RestartAsync();
        Assert.False(test.Groups.TryFetchOffsets("idle", [(Topic, 0)], out _));
    }

    [Fact]
    public async Task Offsets_of_topics_the_group_still_consumes_cannot_be_deleted()
    {
        await using var test = await StartAsync();
        JoinGroupResponse member = await test.StableSingleMemberAsync("g", [1]);
        await test.Groups.CommitOffsetsAsync(new OffsetCommitter("g", member.GenerationId, member.MemberId, null), [Entry(0, 1)], CancellationToken.None);
        (ErrorCode groupError, ErrorCode[] errors) = await test.Groups.DeleteOffsetsAsync("g", [(Topic, 0)], CancellationToken.None);
        Assert.Equal(ErrorCode.None, groupError);
        Assert.Equal([ErrorCode.GroupSubscribedToTopic], errors);
        test.Groups.Leave("g", [(member.MemberId, null)]);
        (groupError, errors) = await test.Groups.DeleteOffsetsAsync("g", [(Topic, 0)], CancellationToken.None);
        Assert.Equal([ErrorCode.None], errors);
        test.Groups.TryFetchOffsets("g", [(Topic, 0)], out var offsets);
        Assert.Null(offsets[0].Value);
        Assert.Equal(ErrorCode.GroupIdNotFound, (await test.Groups.DeleteOffsetsAsync("missing", [(Topic, 0)], CancellationToken.None)).GroupError);
    }

    [Fact]
    public async Task An_empty_groups_offsets_expire_after_the_retention_and_the_group_goes()
    {
        await using var test = await StartAsync(o =>
        {
            o.OffsetsRetention = TimeSpan.FromMinutes(10);
            o.OffsetsRetentionCheckInterval = TimeSpan.FromMinutes(1);
        });
        await test.Groups.CommitOffsetsAsync(new OffsetCommitter("g", -1, "", null), [Entry(0, 1)], CancellationToken.None);
        test.Clock.Advance(TimeSpan.FromMinutes(9));
        Assert.True(test.Groups.TryFetchOffsets("g", [(Topic, 0)], out var kept));
        Assert.NotNull(kept[0].Value);
        test.Clock.Advance(TimeSpan.FromMinutes(2));
        await Support.Eventually.True(() => !test.Groups.TryFetchOffsets("g", [(Topic, 0)], out _), "the group's offsets expired");
        await test.RestartAsync();
        Assert.False(test.Groups.TryFetchOffsets("g", [(Topic, 0)], out _));
    }

    [Fact]
    public async Task Lag_is_the_log_end_minus_the_committed_offset()
    {
        await using var test = await StartAsync();
        Brook.Broker.Partitions.PartitionLeader partition = test.Broker.FindPartition(Topic, 1)!;
        using (var builder = new Brook.Protocol.Records.RecordBatchBuilder())
        {
            for (int i = 0; i < 5; i++)
            {
                builder.Append(0, [1], [2]);
            }
            var output = new System.Buffers.ArrayBufferWriter<byte>();
            builder.WriteTo(output);
            Brook.Broker.Partitions.AppendOutcome outcome = partition.Append(output.WrittenSpan.ToArray());
            Assert.Equal(ErrorCode.None, await partition.WaitUntilCommittedAsync(outcome.EndOffset, CancellationToken.None));
        }
        await test.Groups.CommitOffsetsAsync(new OffsetCommitter("g", -1, "", null), [Entry(1, 2)], CancellationToken.None);
        GroupLag only = Assert.Single(test.Groups.DescribeLag("g"));
        Assert.Equal((1, 2L, 5L, 3L), (only.Partition, only.CommittedOffset, only.LogEndOffset, only.Lag));
        Assert.Empty(test.Groups.DescribeLag("missing"));
    }
}
