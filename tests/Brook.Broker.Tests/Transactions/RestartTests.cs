using Brook.Broker.Transactions;
using Brook.Protocol.Errors;

namespace Brook.Broker.Tests.Transactions;

public sealed class RestartTests
{
    private const string Topic = TransactionsUnderTest.Topic;

    [Fact]
    public async Task Ids_and_their_epochs_survive_a_restart()
    {
        await using var test = await TransactionsUnderTest.StartAsync();
        var first = await test.InitAsync("tx-a");
        await test.InitAsync("tx-a");
        await test.RestartAsync();

        var again = await test.InitAsync("tx-a");
        Assert.Equal((first.ProducerId, (short)2), again);
    }

    [Fact]
    public async Task An_ongoing_transaction_survives_a_restart_and_can_be_committed_after_it()
    {
        await using var test = await TransactionsUnderTest.StartAsync();
        var producer = await test.InitAsync("tx-a");
        await test.AddAsync("tx-a", producer, 0, 1);
        await test.RestartAsync();

        TransactionDescription described = test.Coordinator.Describe("tx-a")!;
        Assert.Equal(TransactionState.Ongoing, described.State);
        Assert.Equal([(Topic, 0), (Topic, 1)], described.Partitions);
        Assert.Equal(ErrorCode.None, await test.Coordinator.EndTransactionAsync("tx-a", producer.ProducerId, producer.Epoch, true, CancellationToken.None));
        await test.StateBecomes("tx-a", TransactionState.CompleteCommit);
        Assert.Single(test.MarkersOn(Topic, 1));
    }

    [Fact]
    public async Task An_ongoing_transaction_found_at_start_up_still_times_out()
    {
        await using var test = await TransactionsUnderTest.StartAsync(o => o.AbortTimedOutInterval = TimeSpan.FromSeconds(1));
        var producer = await test.InitAsync("tx-a", timeoutMs: 3000);
        await test.AddAsync("tx-a", producer, 2);
        await test.RestartAsync();
        test.Clock.Advance(TimeSpan.FromSeconds(5));

        await test.StateBecomes("tx-a", TransactionState.CompleteAbort);
        Assert.Equal([(producer.ProducerId, (short)(producer.Epoch + 1), false)], test.MarkersOn(Topic, 2));
    }

    [Theory]
    [InlineData(TransactionState.PrepareCommit)]
    [InlineData(TransactionState.PrepareAbort)]
    public async Task A_transaction_found_preparing_at_start_up_gets_its_markers_and_completes(TransactionState preparing)
    {
        await using var test = await TransactionsUnderTest.StartAsync();
        var producer = await test.InitAsync("tx-a");
        await test.AddAsync("tx-a", producer, 0, 2);
        // What a crash right after the Prepare record leaves behind: the record, no markers.
        await InitProducerIdTests.AppendStateAsync(test, "tx-a",
            new TransactionLogEntry(producer.ProducerId, producer.Epoch, 60_000, preparing, [(Topic, 0), (Topic, 2)], 0, 0));
        Assert.Empty(test.MarkersOn(Topic, 0));

        await test.RestartAsync();

        bool commit = preparing == TransactionState.PrepareCommit;
        await test.StateBecomes("tx-a", commit ? TransactionState.CompleteCommit : TransactionState.CompleteAbort);
        Assert.Equal([(producer.ProducerId, producer.Epoch, commit)], test.MarkersOn(Topic, 0));
        Assert.Equal([(producer.ProducerId, producer.Epoch, commit)], test.MarkersOn(Topic, 2));
        Assert.Equal(ErrorCode.None, await test.Coordinator.EndTransactionAsync("tx-a", producer.ProducerId, producer.Epoch, commit, CancellationToken.None));
    }
}
