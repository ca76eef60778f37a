using Brook.Broker.Transactions;
using Brook.Protocol.Errors;

namespace Brook.Broker.Tests.Transactions;

public sealed class AddPartitionsTests
{
    private const string Topic = TransactionsUnderTest.Topic;

    [Fact]
    public async Task Adding_partitions_starts_a_transaction_that_is_Ongoing_with_them_since_now()
    {
        await using var test = await TransactionsUnderTest.StartAsync();
        var producer = await test.InitAsync("tx-a");
        Assert.Equal(ErrorCode.None, await test.AddAsync("tx-a", producer, 0));
        test.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(ErrorCode.None, await test.AddAsync("tx-a", producer, 2));

        TransactionDescription described = test.Coordinator.Describe("tx-a")!;
        Assert.Equal(TransactionState.Ongoing, described.State);
        Assert.Equal([(Topic, 0), (Topic, 2)], described.Partitions);
        Assert.Equal(test.Clock.GetUtcNow().ToUnixTimeMilliseconds() - 1000, described.StartTimestamp);
    }

    [Fact]
    public async Task Adding_partitions_already_in_the_transaction_writes_nothing()
    {
        await using var test = await TransactionsUnderTest.StartAsync();
        var producer = await test.InitAsync("tx-a");
        await test.AddAsync("tx-a", producer, 0, 1);
        int records = test.StateRecords().Count;
        Assert.Equal(ErrorCode.None, await test.AddAsync("tx-a", producer, 1));
        Assert.Equal(records, test.StateRecords().Count);
    }

    [Fact]
    public async Task An_unknown_id_or_another_producer_id_is_INVALID_PRODUCER_ID_MAPPING()
    {
        await using var test = await TransactionsUnderTest.StartAsync();
        var producer = await test.InitAsync("tx-a");
        Assert.Equal(ErrorCode.InvalidProducerIdMapping, await test.AddAsync("nobody", producer, 0));
        Assert.Equal(ErrorCode.InvalidProducerIdMapping, await test.AddAsync("tx-a", (producer.ProducerId + 1, producer.Epoch), 0));
    }

    [Fact]
    public async Task An_older_epoch_is_PRODUCER_FENCED()
    {
        await using var test = await TransactionsUnderTest.StartAsync();
        var old = await test.InitAsync("tx-a");
        await test.InitAsync("tx-a");
        Assert.Equal(ErrorCode.ProducerFenced, await test.AddAsync("tx-a", old, 0));
        Assert.Equal(TransactionState.Empty, test.StateOf("tx-a"));
    }

    [Fact]
    public async Task The_next_transaction_waits_for_the_previous_ones_markers_instead_of_failing()
    {
        await using var test = await TransactionsUnderTest.StartAsync();
        var producer = await test.InitAsync("tx-a");
        await test.AddAsync("tx-a", producer, 0);
        Assert.Equal(ErrorCode.None, await test.Coordinator.EndTransactionAsync("tx-a", producer.ProducerId, producer.Epoch, commit: true, CancellationToken.None));

        Assert.Equal(ErrorCode.None, await test.AddAsync("tx-a", producer, 1));

        Assert.Equal([(producer.ProducerId, producer.Epoch, true)], test.MarkersOn(Topic, 0));
        Assert.Equal([(Topic, 1)], test.Coordinator.Describe("tx-a")!.Partitions);
        Assert.Equal(TransactionState.Ongoing, test.StateOf("tx-a"));
        // The next transaction's record follows the previous one's completion in the log.
        Assert.Equal([TransactionState.Empty, TransactionState.Ongoing, TransactionState.PrepareCommit, TransactionState.CompleteCommit, TransactionState.Ongoing],
            test.StateRecords().Where(r => r.Id == "tx-a").Select(r => r.State));
    }

    [Fact]
    public async Task Verification_accepts_only_partitions_of_the_ongoing_transaction_at_the_current_epoch()
    {
        await using var test = await TransactionsUnderTest.StartAsync();
        var producer = await test.InitAsync("tx-a");
        Assert.Equal(ErrorCode.InvalidTxnState, test.Coordinator.VerifyPartitionInTransaction("tx-a", producer.ProducerId, producer.Epoch, Topic, 0));
        await test.AddAsync("tx-a", producer, 0);

        ErrorCode[] verified = test.Coordinator.VerifyPartitions("tx-a", producer.ProducerId, producer.Epoch, [(Topic, 0), (Topic, 1)]);

        Assert.Equal([ErrorCode.None, ErrorCode.InvalidTxnState], verified);
        Assert.Equal(ErrorCode.InvalidProducerEpoch, test.Coordinator.VerifyPartitionInTransaction("tx-a", producer.ProducerId, (short)(producer.Epoch - 1), Topic, 0));
        Assert.Equal(ErrorCode.InvalidProducerIdMapping, test.Coordinator.VerifyPartitionInTransaction("tx-a", producer.ProducerId + 1, producer.Epoch, Topic, 0));
        Assert.Equal(ErrorCode.InvalidProducerIdMapping, test.Coordinator.VerifyPartitionInTransaction("other", producer.ProducerId, producer.Epoch, Topic, 0));
    }

    [Fact]
    public async Task The_broker_verifies_transactional_produce_with_this_coordinator()
    {
        await using var test = await TransactionsUnderTest.StartAsync();
        Assert.Same(test.Coordinator, test.Broker.TransactionVerifier);
        Assert.Same(test.Broker.Groups, test.Broker.TransactionMarkerListener);
    }
}
