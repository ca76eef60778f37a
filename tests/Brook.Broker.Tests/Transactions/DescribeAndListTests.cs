using Brook.Broker.Transactions;

namespace Brook.Broker.Tests.Transactions;

public sealed class DescribeAndListTests
{
    [Fact]
    public async Task Describe_reports_the_producer_timeout_start_and_partitions_and_null_for_unknown_ids()
    {
        await using var test = await TransactionsUnderTest.StartAsync();
        var producer = await test.InitAsync("tx-a", timeoutMs: 7000);
        await test.AddAsync("tx-a", producer, 1);
        long now = test.Clock.GetUtcNow().ToUnixTimeMilliseconds();

        TransactionDescription described = test.Coordinator.Describe("tx-a")!;

        Assert.Equal(new TransactionDescription("tx-a", TransactionState.Ongoing, producer.ProducerId, producer.Epoch, 7000, now, [(TransactionsUnderTest.Topic, 1)]),
            described with { Partitions = [.. described.Partitions] }, new DescriptionComparer());
        Assert.Null(test.Coordinator.Describe("nobody"));
    }

    [Fact]
    public async Task List_filters_by_state_producer_id_and_running_time()
    {
        await using var test = await TransactionsUnderTest.StartAsync();
        var a = await test.InitAsync("tx-a");
        var b = await test.InitAsync("tx-b");
        await test.AddAsync("tx-a", a, 0);
        test.Clock.Advance(TimeSpan.FromSeconds(10));
        await test.AddAsync("tx-b", b, 0);

        Assert.Equal(["tx-a", "tx-b"], Ids(test.Coordinator.List(new HashSet<TransactionState>(), new HashSet<long>(), -1)));
        Assert.Equal(["tx-a", "tx-b"], Ids(test.Coordinator.List(new HashSet<TransactionState> { TransactionState.Ongoing }, new HashSet<long>(), -1)));
        Assert.Empty(test.Coordinator.List(new HashSet<TransactionState> { TransactionState.Empty }, new HashSet<long>(), -1));
        Assert.Equal(["tx-b"], Ids(test.Coordinator.List(new HashSet<TransactionState>(), new HashSet<long> { b.ProducerId }, -1)));
        Assert.Equal(["tx-a"], Ids(test.Coordinator.List(new HashSet<TransactionState>(), new HashSet<long>(), 5000)));
    }

    [Fact]
    public void State_names_are_kafkas_and_parse_back()
    {
        foreach (TransactionState state in Enum.GetValues<TransactionState>())
        {
            Assert.True(TransactionStateNames.TryParse(state.Name(), out TransactionState parsed));
            Assert.Equal(state, parsed);
        }
        Assert.Equal("PrepareCommit", TransactionState.PrepareCommit.Name());
        Assert.False(TransactionStateNames.TryParse("Committing", out _));
    }

    private static List<string> Ids(List<TransactionDescription> list) => [.. list.Select(d => d.TransactionalId)];

    private sealed class DescriptionComparer : IEqualityComparer<TransactionDescription>
    {
        public bool Equals(TransactionDescription? x, TransactionDescription? y) =>
            x is not null && y is not null && x with { Partitions = [] } == y with { Partitions = [] } && x.Partitions.SequenceEqual(y.Partitions);

        public int GetHashCode(TransactionDescription obj) => obj.TransactionalId.GetHashCode(StringComparison.Ordinal);
    }
}
