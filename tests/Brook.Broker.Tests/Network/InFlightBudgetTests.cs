using Brook.Broker.Network;

namespace Brook.Broker.Tests.Network;

public sealed class InFlightBudgetTests
{
    [Fact]
    public async Task Waiting_for_room_completes_when_a_release_brings_it_under_both_bounds()
    {
        var budget = new InFlightBudget(maxRequests: 2, maxBytes: 100);
        budget.Admit(10);
        budget.Admit(10);
        Task room = budget.WaitForRoomAsync(CancellationToken.None);

        Assert.True(budget.IsFull);
        Assert.False(room.IsCompleted);
        budget.Release(10);
        await room.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.False(budget.IsFull);
    }

    [Fact]
    public void One_request_larger_than_the_byte_bound_is_admitted_alone()
    {
        var budget = new InFlightBudget(maxRequests: 10, maxBytes: 100);

        Assert.True(budget.WaitForRoomAsync(CancellationToken.None).IsCompleted);
        budget.Admit(500);

        Assert.True(budget.IsFull);
        budget.Release(500);
        Assert.Equal(0, budget.Bytes);
        Assert.True(budget.WaitForRoomAsync(CancellationToken.None).IsCompleted);
    }

    [Fact]
    public async Task Waiting_for_room_can_be_cancelled()
    {
        var budget = new InFlightBudget(maxRequests: 1, maxBytes: 100);
        budget.Admit(1);
        using var cancel = new CancellationTokenSource();
        Task room = budget.WaitForRoomAsync(cancel.Token);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => room);
    }
}
