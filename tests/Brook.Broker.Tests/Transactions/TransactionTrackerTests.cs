using Brook.Broker.Partitions;

namespace Brook.Broker.Tests.Transactions;

public sealed class TransactionTrackerTests
{
    [Fact]
    public void An_ended_transaction_holds_the_first_unstable_offset_until_the_high_watermark_passes_its_marker()
    {
        var tracker = new TransactionTracker();
        tracker.Begin(producerId: 1, firstOffset: 10);
        tracker.Begin(producerId: 2, firstOffset: 12);

        tracker.Complete(producerId: 1, firstOffset: 10, markerOffset: 20);
        Assert.Equal(10, tracker.FirstUnstableOffset);
        Assert.False(tracker.OnHighWatermark(20));
        Assert.Equal(10, tracker.FirstUnstableOffset);

        Assert.True(tracker.OnHighWatermark(21));
        Assert.Equal(12, tracker.FirstUnstableOffset);
    }

    [Fact]
    public void A_marker_already_below_the_high_watermark_is_released_by_the_next_check()
    {
        var tracker = new TransactionTracker();
        tracker.Begin(producerId: 1, firstOffset: 0);

        tracker.Complete(producerId: 1, firstOffset: 0, markerOffset: 3);

        Assert.True(tracker.OnHighWatermark(100));
        Assert.Equal(long.MaxValue, tracker.FirstUnstableOffset);
        Assert.False(tracker.OnHighWatermark(100));
    }

    [Fact]
    public void A_cancelled_begin_unpins()
    {
        var tracker = new TransactionTracker();
        tracker.Begin(producerId: 1, firstOffset: 5);
        tracker.Cancel(producerId: 1, firstOffset: 5);

        Assert.Equal(long.MaxValue, tracker.FirstUnstableOffset);
        Assert.Equal(0, tracker.OngoingCount);
    }
}
