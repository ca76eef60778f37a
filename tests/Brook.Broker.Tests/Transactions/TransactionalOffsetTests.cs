using Brook.Broker.Groups;
using Brook.Protocol.Errors;

namespace Brook.Broker.Tests.Transactions;

public sealed class TransactionalOffsetTests
{
    private const string Topic = TransactionsUnderTest.Topic;
    private const string Group = "etl";

    private static Task<ErrorCode[]> CommitAsync(TransactionsUnderTest test, string id, (long ProducerId, short Epoch) producer, long offset, int partition = 0) =>
        test.Broker.Groups.CommitTransactionalOffsetsAsync(id, producer.ProducerId, producer.Epoch, new OffsetCommitter(Group, -1, "", null),
            [new OffsetCommitEntry(Topic, partition, offset, -1, "m")], CancellationToken.None);

    private static long? Committed(TransactionsUnderTest test, int partition = 0)
    {
        test.Broker.Groups.TryFetchOffsets(Group, [(Topic, partition)], out var offsets);
        return offsets[0].Value?.Offset;
    }

    [Fact]
    public async Task Transactional_offsets_stay_pending_until_the_transaction_commits()
    {
        await using var test = await TransactionsUnderTest.StartAsync();
        var producer = await test.InTransactionWithOffsetsAsync("tx-a", Group);

        Assert.Equal([ErrorCode.None], await CommitAsync(test, "tx-a", producer, 42));

        Assert.Null(Committed(test));
        Assert.True(test.Broker.Groups.HasPendingTransactionalOffset(Group, Topic, 0));
        Assert.False(test.Broker.Groups.HasPendingTransactionalOffset(Group, Topic, 1));
        await test.Coordinator.EndTransactionAsync("tx-a", producer.ProducerId, producer.Epoch, commit: true, CancellationToken.None);
        await Support.Eventually.True(() => Committed(test) == 42, "the offset is visible after the commit");
        Assert.False(test.Broker.Groups.HasPendingTransactionalOffset(Group, Topic, 0));
    }

    [Fact]
    public async Task Transactional_offsets_of_an_aborted_transaction_are_dropped()
    {
        await using var test = await TransactionsUnderTest.StartAsync();
        var producer = await test.InTransactionWithOffsetsAsync("tx-a", Group);
        await CommitAsync(test, "tx-a", producer, 42);

        await test.Coordinator.EndTransactionAsync("tx-a", producer.ProducerId, producer.Epoch, commit: false, CancellationToken.None);

        await test.StateBecomes("tx-a", Broker.Transactions.TransactionState.CompleteAbort);
        Assert.Null(Committed(test));
        Assert.False(test.Broker.Groups.HasPendingTransactionalOffset(Group, Topic, 0));
    }

    [Fact]
    public async Task A_later_plain_commit_wins_over_an_earlier_transactional_one()
    {
        await using var test = await TransactionsUnderTest.StartAsync();
        var producer = await test.InTransactionWithOffsetsAsync("tx-a", Group);
        await CommitAsync(test, "tx-a", producer, 42);
        Assert.Equal([ErrorCode.None], await test.Broker.Groups.CommitOffsetsAsync(new OffsetCommitter(Group, -1, "", null), [new OffsetCommitEntry(Topic, 0, 50, -1, null)], CancellationToken.None));
        Assert.Equal(50, Committed(test));

        await test.Coordinator.EndTransactionAsync("tx-a", producer.ProducerId, producer.Epoch, commit: true, CancellationToken.None);

        await test.StateBecomes("tx-a", Broker.Transactions.TransactionState.CompleteCommit);
        Assert.Equal(50, Committed(test));
    }

    [Fact]
    public async Task Without_AddOffsetsToTxn_or_with_an_old_epoch_the_commit_is_refused()
    {
        await using var test = await TransactionsUnderTest.StartAsync();
        var producer = await test.InitAsync("tx-a");
        Assert.Equal([ErrorCode.InvalidTxnState], await CommitAsync(test, "tx-a", producer, 1));
        var current = await test.InTransactionWithOffsetsAsync("tx-a", Group);
        Assert.Equal([ErrorCode.ProducerFenced], await CommitAsync(test, "tx-a", producer, 1));
        Assert.Equal([ErrorCode.None], await CommitAsync(test, "tx-a", current, 1));
    }

    [Fact]
    public async Task Replay_keeps_offsets_of_a_transaction_without_marker_pending_and_applies_committed_ones()
    {
        await using var test = await TransactionsUnderTest.StartAsync();
        var committed = await test.InTransactionWithOffsetsAsync("tx-a", Group);
        await CommitAsync(test, "tx-a", committed, 10, partition: 0);
        await test.Coordinator.EndTransactionAsync("tx-a", committed.ProducerId, committed.Epoch, commit: true, CancellationToken.None);
        await test.StateBecomes("tx-a", Broker.Transactions.TransactionState.CompleteCommit);
        var open = await test.InTransactionWithOffsetsAsync("tx-b", Group);
        await CommitAsync(test, "tx-b", open, 20, partition: 1);

        await test.RestartAsync();

        Assert.Equal(10, Committed(test, 0));
        Assert.Null(Committed(test, 1));
        Assert.True(test.Broker.Groups.HasPendingTransactionalOffset(Group, Topic, 1));
        await test.Coordinator.EndTransactionAsync("tx-b", open.ProducerId, open.Epoch, commit: true, CancellationToken.None);
        await Support.Eventually.True(() => Committed(test, 1) == 20, "the replayed pending offset is applied by the commit");
    }
}
