using Brook.Storage.Tests.Support;

namespace Brook.Storage.Tests;

/// <summary>
/// A read's length ends on a batch boundary before any byte is copied (a Fetch promises it on the
/// wire and then streams the file), and its end offset is one past its last batch.
/// </summary>
public sealed class WholeBatchReadTests
{
    [Theory]
    [InlineData(1 << 30)] // no index entries: every header is walked
    [InlineData(0)] // an entry per batch: the walk starts right below the limit
    [InlineData(700)] // an entry every few batches
    public void A_byte_limit_inside_a_batch_gives_the_length_of_the_whole_batches_before_it(int indexIntervalBytes)
    {
        var batch = TestBatches.OfSize(2, 300);
        var scenario = LogScenario.Start(LogConfig.Default with { IndexIntervalBytes = indexIntervalBytes });
        using (scenario)
        {
            for (int i = 0; i < 20; i++)
            {
                scenario.Append(batch);
            }

            for (int whole = 1; whole < 20; whole++)
            {
                using var read = scenario.Log.Read(0, batch.Length * whole + batch.Length / 2, long.MaxValue);
                Assert.Equal(batch.Length * whole, read.Length);
                Assert.Equal(2L * whole, read.EndOffset);
                var buffer = new byte[read.Length];
                Assert.Equal(read.Length, read.CopyTo(buffer));
            }
        }
    }

    [Fact]
    public void A_read_from_the_middle_of_the_log_ends_where_its_last_whole_batch_ends()
    {
        var batch = TestBatches.OfSize(3, 200);
        using var scenario = LogScenario.Start(LogConfig.Default with { IndexIntervalBytes = 1 });
        for (int i = 0; i < 10; i++)
        {
            scenario.Append(batch);
        }

        using var read = scenario.Log.Read(7, batch.Length * 3 - 1, long.MaxValue); // offset 7 is inside the third batch

        Assert.Equal(batch.Length * 2, read.Length);
        Assert.Equal(12L, read.EndOffset);
        var buffer = new byte[read.Length];
        read.CopyTo(buffer);
        Assert.Equal([6L, 7, 8, 9, 10, 11], TestBatches.Parse(buffer).Select(r => r.Offset));
    }

    [Fact]
    public void A_first_batch_above_the_limit_is_read_whole_and_ends_the_read()
    {
        var batch = TestBatches.OfSize(4, 500);
        using var scenario = LogScenario.Start(LogConfig.Default with { IndexIntervalBytes = 1 });
        scenario.Append(batch).Append(batch);

        using var read = scenario.Log.Read(0, 10, long.MaxValue);
        using var none = scenario.Log.Read(0, 10, long.MaxValue, minOneBatch: false);

        Assert.Equal((batch.Length, 4L), (read.Length, read.EndOffset));
        Assert.True(none.IsEmpty);
    }

    [Fact]
    public void Reading_at_a_position_copies_exactly_that_part_of_the_slice()
    {
        var batch = TestBatches.OfSize(1, 100);
        using var scenario = LogScenario.Start().Append(batch).Append(batch);
        using var read = scenario.Log.Read(0, 4096, long.MaxValue);
        var whole = new byte[read.Length];
        read.CopyTo(whole);

        var part = new byte[50];
        read.ReadAt(batch.Length - 20, part);

        Assert.Equal(whole.AsSpan(batch.Length - 20, 50).ToArray(), part);
        Assert.Throws<ArgumentOutOfRangeException>(() => read.ReadAt(read.Length - 10, new byte[11]));
    }
}
