using Brook.Broker.Transactions;
using Brook.Protocol.Errors;

namespace Brook.Broker.Tests.Transactions;

public sealed class InitProducerIdTests
{
    [Fact]
    public async Task A_new_transactional_id_gets_a_producer_id_at_epoch_0_and_is_stored_Empty()
    {
        await using var test = await TransactionsUnderTest.StartAsync();
        (long producerId, short epoch) = await test.InitAsync("tx-a");
        Assert.True(producerId >= 0);
        Assert.Equal(0, epoch);
        Assert.Equal(TransactionState.Empty, test.StateOf("tx-a"));
        Assert.Contains(("tx-a", TransactionState.Empty, (short)0), test.StateRecords());
    }

    [Fact]
    public async Task Initialising_again_keeps_the_producer_id_and_bumps_the_epoch()
    {
        await using var test = await TransactionsUnderTest.StartAsync();
        var first = await test.InitAsync("tx-a");
        var second = await test.InitAsync("tx-a");
        Assert.Equal(first.ProducerId, second.ProducerId);
        Assert.Equal(1, second.Epoch);
    }

    [Fact]
    public async Task Different_ids_get_different_producer_ids()
    {
        await using var test = await TransactionsUnderTest.StartAsync();
        var a = await test.InitAsync("tx-a");
        var b = await test.InitAsync("tx-b");
        Assert.NotEqual(a.ProducerId, b.ProducerId);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(900_001)]
    public async Task A_timeout_outside_1_to_the_maximum_is_INVALID_TRANSACTION_TIMEOUT(int timeoutMs)
    {
        await using var test = await TransactionsUnderTest.StartAsync();
        InitProducerIdResult result = await test.Coordinator.InitProducerIdAsync("tx-a", timeoutMs, -1, -1, CancellationToken.None);
        Assert.Equal(ErrorCode.InvalidTransactionTimeout, result.Error);
    }

    [Fact]
    public async Task The_maximum_timeout_is_configurable()
    {
        await using var test = await TransactionsUnderTest.StartAsync(o => o.MaxTimeoutMs = 1000);
        Assert.Equal(ErrorCode.InvalidTransactionTimeout, (await test.Coordinator.InitProducerIdAsync("tx-a", 1001, -1, -1, CancellationToken.None)).Error);
        Assert.Equal(ErrorCode.None, (await test.Coordinator.InitProducerIdAsync("tx-a", 1000, -1, -1, CancellationToken.None)).Error);
    }

    [Fact]
    public async Task An_empty_transactional_id_is_INVALID_REQUEST()
    {
        await using var test = await TransactionsUnderTest.StartAsync();
        Assert.Equal(ErrorCode.InvalidRequest, (await test.Coordinator.InitProducerIdAsync("", 1000, -1, -1, CancellationToken.None)).Error);
    }

    [Fact]
    public async Task With_the_current_epoch_as_expected_the_epoch_is_bumped_and_a_retry_gets_the_same_answer()
    {
        await using var test = await TransactionsUnderTest.StartAsync();
        var first = await test.InitAsync("tx-a");
        InitProducerIdResult bumped = await test.Coordinator.InitProducerIdAsync("tx-a", 1000, first.ProducerId, first.Epoch, CancellationToken.None);
        Assert.Equal((ErrorCode.None, first.ProducerId, (short)1), (bumped.Error, bumped.ProducerId, bumped.ProducerEpoch));
        InitProducerIdResult retried = await test.Coordinator.InitProducerIdAsync("tx-a", 1000, first.ProducerId, first.Epoch, CancellationToken.None);
        Assert.Equal((ErrorCode.None, first.ProducerId, (short)1), (retried.Error, retried.ProducerId, retried.ProducerEpoch));
    }

    [Fact]
    public async Task An_expected_producer_that_is_not_current_is_PRODUCER_FENCED()
    {
        await using var test = await TransactionsUnderTest.StartAsync();
        var first = await test.InitAsync("tx-a");
        await test.InitAsync("tx-a");
        await test.InitAsync("tx-a");
        InitProducerIdResult stale = await test.Coordinator.InitProducerIdAsync("tx-a", 1000, first.ProducerId, first.Epoch, CancellationToken.None);
        Assert.Equal(ErrorCode.ProducerFenced, stale.Error);
        InitProducerIdResult otherId = await test.Coordinator.InitProducerIdAsync("tx-a", 1000, first.ProducerId + 77, 2, CancellationToken.None);
        Assert.Equal(ErrorCode.ProducerFenced, otherId.Error);
    }

    [Fact]
    public async Task Initialising_during_an_ongoing_transaction_aborts_it_with_a_fenced_epoch_and_asks_to_retry()
    {
        await using var test = await TransactionsUnderTest.StartAsync();
        var producer = await test.InitAsync("tx-a");
        Assert.Equal(ErrorCode.None, await test.AddAsync("tx-a", producer, 0, 1));

        InitProducerIdResult result = await test.Coordinator.InitProducerIdAsync("tx-a", 1000, -1, -1, CancellationToken.None);

        Assert.Equal(ErrorCode.ConcurrentTransactions, result.Error);
        await test.StateBecomes("tx-a", TransactionState.CompleteAbort);
        Assert.Equal([(producer.ProducerId, (short)1, false)], test.MarkersOn(TransactionsUnderTest.Topic, 0));
        Assert.Equal([(producer.ProducerId, (short)1, false)], test.MarkersOn(TransactionsUnderTest.Topic, 1));
        var retried = await test.InitAsync("tx-a");
        Assert.Equal((producer.ProducerId, (short)2), retried);
        Assert.Equal(ErrorCode.ProducerFenced, await test.AddAsync("tx-a", producer, 2));
    }

    [Fact]
    public async Task Initialising_right_after_a_commit_waits_for_its_markers_and_bumps_the_epoch()
    {
        await using var test = await TransactionsUnderTest.StartAsync();
        var producer = await test.InitAsync("tx-a");
        await test.AddAsync("tx-a", producer, 0);
        Assert.Equal(ErrorCode.None, await test.Coordinator.EndTransactionAsync("tx-a", producer.ProducerId, producer.Epoch, commit: true, CancellationToken.None));

        var next = await test.InitAsync("tx-a");

        Assert.Equal((producer.ProducerId, (short)(producer.Epoch + 1)), next);
        Assert.Equal([(producer.ProducerId, producer.Epoch, true)], test.MarkersOn(TransactionsUnderTest.Topic, 0));
        Assert.Equal(TransactionState.Empty, test.StateOf("tx-a"));
    }

    [Fact]
    public async Task An_exhausted_epoch_gets_a_new_producer_id_at_epoch_0()
    {
        await using var test = await TransactionsUnderTest.StartAsync();
        var first = await test.InitAsync("tx-a");
        // Bring the stored epoch to the limit through the log, as a long-lived id would.
        var near = new TransactionLogEntry(first.ProducerId, short.MaxValue - 1, 1000, TransactionState.Empty, [], 0, -1);
        await AppendStateAsync(test, "tx-a", near);
        await test.RestartAsync();

        var rotated = await test.InitAsync("tx-a");

        Assert.NotEqual(first.ProducerId, rotated.ProducerId);
        Assert.Equal(0, rotated.Epoch);
    }

    internal static async Task AppendStateAsync(TransactionsUnderTest test, string id, TransactionLogEntry entry)
    {
        Brook.Broker.Partitions.PartitionLeader partition = (await test.Coordinator.StatePartitionAsync(id, CancellationToken.None))!;
        using var builder = new Protocol.Records.RecordBatchBuilder(Protocol.Records.RecordBatchOptions.Default, 128);
        builder.Append(0, TransactionLogCodec.Key(id), keyIsNull: false, TransactionLogCodec.Value(entry), valueIsNull: false);
        using var output = new Protocol.Compression.PooledBufferWriter(256);
        builder.WriteTo(output);
        var outcome = partition.Append(output.WrittenSpan.ToArray());
        Assert.Equal(ErrorCode.None, await partition.WaitUntilCommittedAsync(outcome.EndOffset, CancellationToken.None));
    }
}
