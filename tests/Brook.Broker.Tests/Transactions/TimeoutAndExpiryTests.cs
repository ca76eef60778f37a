using Brook.Broker.Transactions;
using Brook.Protocol.Errors;

namespace Brook.Broker.Tests.Transactions;

public sealed class TimeoutAndExpiryTests
{
    private const string Topic = TransactionsUnderTest.Topic;

    [Fact]
    public async Task A_transaction_older_than_its_timeout_is_aborted_with_the_epoch_bumped_so_its_producer_is_fenced()
    {
        await using var test = await TransactionsUnderTest.StartAsync(o => o.AbortTimedOutInterval = TimeSpan.FromSeconds(1));
        var producer = await test.InitAsync("tx-a", timeoutMs: 5000);
        await test.AddAsync("tx-a", producer, 1);

        test.Clock.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(TransactionState.Ongoing, test.StateOf("tx-a"));
        test.Clock.Advance(TimeSpan.FromSeconds(2));

        await test.StateBecomes("tx-a", TransactionState.CompleteAbort);
        short fenced = (short)(producer.Epoch + 1);
        Assert.Equal([(producer.ProducerId, fenced, false)], test.MarkersOn(Topic, 1));
        Assert.Equal(fenced, test.Coordinator.Describe("tx-a")!.ProducerEpoch);
        Assert.Equal(ErrorCode.ProducerFenced, await test.AddAsync("tx-a", producer, 1));
        Assert.Equal(ErrorCode.ProducerFenced, await test.Coordinator.EndTransactionAsync("tx-a", producer.ProducerId, producer.Epoch, true, CancellationToken.None));
    }

    [Fact]
    public async Task Transactions_within_their_timeout_and_idle_ids_are_not_aborted()
    {
        await using var test = await TransactionsUnderTest.StartAsync(o => o.AbortTimedOutInterval = TimeSpan.FromSeconds(1));
        var busy = await test.InitAsync("busy", timeoutMs: 60_000);
        await test.InitAsync("idle", timeoutMs: 1000);
        await test.AddAsync("busy", busy, 0);
        test.Clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(TransactionState.Ongoing, test.StateOf("busy"));
        Assert.Equal(TransactionState.Empty, test.StateOf("idle"));
        Assert.Empty(test.MarkersOn(Topic, 0));
    }

    [Fact]
    public async Task An_id_idle_longer_than_the_expiration_is_forgotten_with_a_tombstone()
    {
        await using var test = await TransactionsUnderTest.StartAsync(o =>
        {
            o.IdExpiration = TimeSpan.FromMinutes(10);
            o.RemoveExpiredInterval = TimeSpan.FromMinutes(1);
        });
        var producer = await test.InitAsync("old");
        test.Clock.Advance(TimeSpan.FromMinutes(5));
        var active = await test.InitAsync("active", timeoutMs: 900_000);
        await test.AddAsync("active", active, 0);
        test.Clock.Advance(TimeSpan.FromMinutes(6));

        await Support.Eventually.True(() => test.Coordinator.Describe("old") is null, "the idle id is forgotten");
        Assert.Equal(TransactionState.Ongoing, test.StateOf("active"));
        Assert.Contains(("old", TransactionState.Dead, (short)-1), test.StateRecords());
        Assert.Equal(ErrorCode.InvalidProducerIdMapping, await test.AddAsync("old", producer, 0));

        await test.RestartAsync();
        Assert.Null(test.Coordinator.Describe("old"));
    }
}
