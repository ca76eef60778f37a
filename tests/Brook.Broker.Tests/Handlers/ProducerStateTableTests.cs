using Brook.Broker.Partitions;
using Brook.Protocol.Errors;

namespace Brook.Broker.Tests.Handlers;

public sealed class ProducerStateTableTests
{
    [Fact]
    public void Sequences_wrap_past_int_max_to_zero()
    {
        var table = new ProducerStateTable();
        int last = ProducerStateTable.LastSequence(int.MaxValue - 1, 2);
        table.Record(1, 0, int.MaxValue - 1, last, 0, 2);

        // MaxValue - 1, MaxValue, 0: the next batch starts at 1.
        Assert.Equal(0, last);
        Assert.Equal(SequenceCheck.Append, table.Check(1, 0, 1, 1));
        Assert.Equal(ErrorCode.OutOfOrderSequenceNumber, table.Check(1, 0, 2, 2).Error);
    }

    [Fact]
    public void Only_the_last_five_batches_are_recognised_as_duplicates()
    {
        var table = new ProducerStateTable();
        for (int i = 0; i < 6; i++)
        {
            table.Record(1, 0, i, i, i, i);
        }

        Assert.True(table.Check(1, 0, 1, 1).IsDuplicate);
        Assert.Equal(1, table.Check(1, 0, 1, 1).FirstOffset);
        Assert.False(table.Check(1, 0, 0, 0).IsDuplicate);
        Assert.Equal(ErrorCode.OutOfOrderSequenceNumber, table.Check(1, 0, 0, 0).Error);
    }

    [Fact]
    public void A_new_epoch_must_start_at_sequence_zero()
    {
        var table = new ProducerStateTable();
        table.Record(1, 0, 0, 9, 0, 9);

        Assert.Equal(ErrorCode.OutOfOrderSequenceNumber, table.Check(1, 1, 10, 10).Error);
        Assert.Equal(SequenceCheck.Append, table.Check(1, 1, 0, 0));
        table.Record(1, 2, 0, 0, 10, 10);
        Assert.Equal(ErrorCode.InvalidProducerEpoch, table.Check(1, 1, 1, 1).Error);
    }
}
