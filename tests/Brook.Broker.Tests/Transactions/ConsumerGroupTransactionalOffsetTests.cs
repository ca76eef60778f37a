using Brook.Broker.Groups;
using Brook.Broker.Tests.Groups;
using Brook.Protocol.Errors;

namespace Brook.Broker.Tests.Transactions;

/// <summary>TxnOffsetCommit for a KIP-848 consumer group: the generation is the member epoch, checked as OffsetCommit checks it.</summary>
public sealed class ConsumerGroupTransactionalOffsetTests
{
    private const string Topic = TransactionsUnderTest.Topic;
    private const string Group = "etl-848";

    private static Task<ErrorCode[]> CommitAsync(TransactionsUnderTest test, (long ProducerId, short Epoch) producer, OffsetCommitter committer, long offset) =>
        test.Broker.Groups.CommitTransactionalOffsetsAsync("tx-848", producer.ProducerId, producer.Epoch, committer, [new OffsetCommitEntry(Topic, 0, offset, -1, "m")], CancellationToken.None);

    private static long? Committed(TransactionsUnderTest test)
    {
        test.Broker.Groups.TryFetchOffsets(Group, [(Topic, 0)], out var offsets);
        return offsets[0].Value?.Offset;
    }

    private static async Task<ConsumerProtocolMember> JoinedMemberAsync(TransactionsUnderTest test)
    {
        var member = new ConsumerProtocolMember(test.Broker.Groups, Group, [Topic]);
        Assert.Equal(0, (await member.JoinAsync()).ErrorCode);
        Assert.True(member.Epoch > 0);
        return member;
    }

    [Fact]
    public async Task A_member_commits_transactional_offsets_at_its_epoch_and_they_show_once_the_transaction_commits()
    {
        await using var test = await TransactionsUnderTest.StartAsync();
        ConsumerProtocolMember member = await JoinedMemberAsync(test);
        var producer = await test.InTransactionWithOffsetsAsync("tx-848", Group);

        Assert.Equal([ErrorCode.None], await CommitAsync(test, producer, new OffsetCommitter(Group, member.Epoch, member.MemberId, null), 42));

        Assert.Null(Committed(test));
        await test.Coordinator.EndTransactionAsync("tx-848", producer.ProducerId, producer.Epoch, commit: true, CancellationToken.None);
        await Support.Eventually.True(() => Committed(test) == 42, "the offset is visible after the commit");
        // Still one KIP-848 group, not a classic group beside it.
        GroupListing listing = Assert.Single(test.Broker.Groups.ListGroups(), g => g.GroupId == Group);
        Assert.Equal("consumer", listing.Type);
        Assert.Equal(GroupState.Dead, test.Broker.Groups.DescribeGroup(Group).State);
    }

    [Fact]
    public async Task A_commit_from_a_stale_member_epoch_is_refused_with_illegal_generation_and_writes_nothing()
    {
        await using var test = await TransactionsUnderTest.StartAsync();
        ConsumerProtocolMember member = await JoinedMemberAsync(test);
        int staleEpoch = member.Epoch;
        var second = new ConsumerProtocolMember(test.Broker.Groups, Group, [Topic]);
        await second.JoinAsync();
        // The first member gives up what the second is due and moves to the new epoch.
        await member.HeartbeatAsync();
        await member.HeartbeatAsync();
        Assert.True(member.Epoch > staleEpoch);
        var producer = await test.InTransactionWithOffsetsAsync("tx-848", Group);

        Assert.Equal([ErrorCode.IllegalGeneration], await CommitAsync(test, producer, new OffsetCommitter(Group, staleEpoch, member.MemberId, null), 7));

        Assert.False(test.Broker.Groups.HasPendingTransactionalOffset(Group, Topic, 0));
        Assert.Equal([ErrorCode.None], await CommitAsync(test, producer, new OffsetCommitter(Group, member.Epoch, member.MemberId, null), 8));
        await test.Coordinator.EndTransactionAsync("tx-848", producer.ProducerId, producer.Epoch, commit: true, CancellationToken.None);
        await Support.Eventually.True(() => Committed(test) == 8, "only the current epoch's offset is committed");
    }

    [Fact]
    public async Task An_unknown_member_or_no_member_of_a_group_with_members_is_refused()
    {
        await using var test = await TransactionsUnderTest.StartAsync();
        ConsumerProtocolMember member = await JoinedMemberAsync(test);
        var producer = await test.InTransactionWithOffsetsAsync("tx-848", Group);

        Assert.Equal([ErrorCode.UnknownMemberId], await CommitAsync(test, producer, new OffsetCommitter(Group, member.Epoch, "someone-else", null), 1));
        Assert.Equal([ErrorCode.UnknownMemberId], await CommitAsync(test, producer, new OffsetCommitter(Group, -1, "", null), 1));
        Assert.False(test.Broker.Groups.HasPendingTransactionalOffset(Group, Topic, 0));
    }
}
