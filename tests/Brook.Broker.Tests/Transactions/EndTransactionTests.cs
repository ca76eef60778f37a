using Brook.Broker.Transactions;
using Brook.Protocol.Errors;

namespace Brook.Broker.Tests.Transactions;

public sealed class EndTransactionTests
{
    private const string Topic = TransactionsUnderTest.Topic;

    private static Task<ErrorCode> EndAsync(TransactionsUnderTest test, string id, (long ProducerId, short Epoch) producer, bool commit) =>
        test.Coordinator.EndTransactionAsync(id, producer.ProducerId, producer.Epoch, commit, CancellationToken.None);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Ending_writes_Prepare_then_a_marker_on_every_partition_then_Complete(bool commit)
    {
        await using var test = await TransactionsUnderTest.StartAsync();
        var producer = await test.InitAsync("tx-a");
        await test.AddAsync("tx-a", producer, 0, 2);

        Assert.Equal(ErrorCode.None, await EndAsync(test, "tx-a", producer, commit));

        TransactionState complete = commit ? TransactionState.CompleteCommit : TransactionState.CompleteAbort;
        await test.StateBecomes("tx-a", complete);
        Assert.Equal([(producer.ProducerId, producer.Epoch, commit)], test.MarkersOn(Topic, 0));
        Assert.Empty(test.MarkersOn(Topic, 1));
        Assert.Equal([(producer.ProducerId, producer.Epoch, commit)], test.MarkersOn(Topic, 2));
        var states = test.StateRecords().Where(r => r.Id == "tx-a").Select(r => r.State).ToList();
        Assert.Equal([TransactionState.Empty, TransactionState.Ongoing, commit ? TransactionState.PrepareCommit : TransactionState.PrepareAbort, complete], states);
        Assert.Empty(test.Coordinator.Describe("tx-a")!.Partitions);
    }

    [Fact]
    public async Task A_retried_commit_succeeds_and_an_abort_of_a_committed_transaction_is_INVALID_TXN_STATE()
    {
        await using var test = await TransactionsUnderTest.StartAsync();
        var producer = await test.InitAsync("tx-a");
        await test.AddAsync("tx-a", producer, 0);
        await EndAsync(test, "tx-a", producer, commit: true);
        await test.StateBecomes("tx-a", TransactionState.CompleteCommit);

        Assert.Equal(ErrorCode.None, await EndAsync(test, "tx-a", producer, commit: true));
        Assert.Equal(ErrorCode.InvalidTxnState, await EndAsync(test, "tx-a", producer, commit: false));
        Assert.Single(test.MarkersOn(Topic, 0));
    }

    [Fact]
    public async Task A_retried_abort_succeeds_and_a_commit_of_an_aborted_transaction_is_INVALID_TXN_STATE()
    {
        await using var test = await TransactionsUnderTest.StartAsync();
        var producer = await test.InitAsync("tx-a");
        await test.AddAsync("tx-a", producer, 0);
        await EndAsync(test, "tx-a", producer, commit: false);
        await test.StateBecomes("tx-a", TransactionState.CompleteAbort);

        Assert.Equal(ErrorCode.None, await EndAsync(test, "tx-a", producer, commit: false));
        Assert.Equal(ErrorCode.InvalidTxnState, await EndAsync(test, "tx-a", producer, commit: true));
    }

    [Fact]
    public async Task Ending_without_a_transaction_is_INVALID_TXN_STATE()
    {
        await using var test = await TransactionsUnderTest.StartAsync();
        var producer = await test.InitAsync("tx-a");
        Assert.Equal(ErrorCode.InvalidTxnState, await EndAsync(test, "tx-a", producer, commit: true));
    }

    [Fact]
    public async Task Ending_with_an_old_epoch_is_PRODUCER_FENCED_and_another_id_INVALID_PRODUCER_ID_MAPPING()
    {
        await using var test = await TransactionsUnderTest.StartAsync();
        var old = await test.InitAsync("tx-a");
        var current = await test.InitAsync("tx-a");
        await test.AddAsync("tx-a", current, 0);
        Assert.Equal(ErrorCode.ProducerFenced, await EndAsync(test, "tx-a", old, commit: true));
        Assert.Equal(ErrorCode.InvalidProducerIdMapping, await EndAsync(test, "tx-a", (current.ProducerId + 1, current.Epoch), commit: true));
        Assert.Equal(ErrorCode.InvalidProducerIdMapping, await EndAsync(test, "nobody", current, commit: true));
        Assert.Equal(TransactionState.Ongoing, test.StateOf("tx-a"));
    }

    [Fact]
    public async Task Markers_already_written_for_a_deleted_topic_are_skipped()
    {
        await using var test = await TransactionsUnderTest.StartAsync();
        await test.Broker.CreateTopicAsync("doomed", 1, new Dictionary<string, string>(), validateOnly: false, CancellationToken.None);
        var producer = await test.InitAsync("tx-a");
        Assert.Equal(ErrorCode.None, await test.Coordinator.AddPartitionsAsync("tx-a", producer.ProducerId, producer.Epoch, [("doomed", 0), (Topic, 0)], CancellationToken.None));
        test.Broker.TryGetTopic("doomed", out var doomed);
        await test.Broker.DeleteTopicAsync(doomed, CancellationToken.None);

        Assert.Equal(ErrorCode.None, await EndAsync(test, "tx-a", producer, commit: true));

        await test.StateBecomes("tx-a", TransactionState.CompleteCommit);
        Assert.Single(test.MarkersOn(Topic, 0));
    }
}
