using System.Buffers.Binary;
using Brook.Protocol.Records;

namespace Brook.Protocol.Tests.Records;

public class RecordBatchSequenceTests
{
    [Fact]
    public void Concatenated_batches_are_yielded_whole_and_in_order()
    {
        byte[] first = TestBatches.Build(1);
        byte[] second = TestBatches.Build(3);
        byte[] third = TestBatches.Build(2);
        byte[] buffer = [.. first, .. second, .. third];

        var lengths = new List<int>();
        var offsets = new List<int>();
        var walker = new RecordBatchSequence(buffer);
        while (walker.MoveNext())
        {
            lengths.Add(walker.Current.Length);
            offsets.Add(walker.CurrentOffset);
            Assert.Equal(RecordBatchError.None, RecordBatchValidator.Validate(walker.Current));
        }

        Assert.Equal([first.Length, second.Length, third.Length], lengths);
        Assert.Equal([0, first.Length, first.Length + second.Length], offsets);
        Assert.False(walker.HasPartialTail);
        Assert.Equal(RecordBatchError.None, walker.Error);
        Assert.Equal(buffer.Length, walker.Consumed);
    }

    [Fact]
    public void Batch_cut_off_at_any_point_is_reported_as_a_partial_tail_not_yielded()
    {
        byte[] first = TestBatches.Build(2);
        byte[] second = TestBatches.Build(2);

        for (int cut = 1; cut < second.Length; cut++)
        {
            byte[] buffer = [.. first, .. second.AsSpan(0, cut)];
            int yielded = 0;
            var walker = new RecordBatchSequence(buffer);
            while (walker.MoveNext())
            {
                yielded++;
            }

            Assert.Equal(1, yielded);
            Assert.True(walker.HasPartialTail);
            Assert.Equal(RecordBatchError.None, walker.Error);
            Assert.Equal(first.Length, walker.Consumed);
        }
    }

    [Fact]
    public void Impossible_batch_length_stops_the_walk_with_an_error()
    {
        byte[] first = TestBatches.Build(1);
        byte[] second = TestBatches.Build(1);
        BinaryPrimitives.WriteInt32BigEndian(second.AsSpan(RecordBatchHeader.BatchLengthOffset), 10);
        byte[] buffer = [.. first, .. second];

        var walker = new RecordBatchSequence(buffer);
        Assert.True(walker.MoveNext());
        Assert.False(walker.MoveNext());

        Assert.Equal(RecordBatchError.LengthMismatch, walker.Error);
        Assert.False(walker.HasPartialTail);
    }

    [Fact]
    public void Empty_buffer_yields_nothing_and_has_no_tail()
    {
        var walker = new RecordBatchSequence([]);

        Assert.False(walker.MoveNext());
        Assert.False(walker.HasPartialTail);
        Assert.Equal(RecordBatchError.None, walker.Error);
    }
}
