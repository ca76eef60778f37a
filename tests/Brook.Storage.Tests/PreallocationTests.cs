using Brook.Storage.Files;
using Brook.Storage.Tests.Support;

namespace Brook.Storage.Tests;

public sealed class PreallocationTests
{
    [Fact]
    public void The_active_segment_reserves_blocks_ahead_and_gives_them_back_when_sealed()
    {
        using var scenario = LogScenario.Start(LogConfig.Default with { SegmentBytes = 8 * 1024 * 1024 })
            .AppendMany(10);

        Assert.True(scenario.Log.SegmentReservedBytes[^1] > 0);
        long dataBytes = new FileInfo(Directory.GetFiles(scenario.Directory, "*.log").Single()).Length;

        scenario.Roll();

        Assert.Equal([0L, 0L], scenario.Log.SegmentReservedBytes);
        // The file size only ever counted the batches; the reservation was past it.
        Assert.Equal(dataBytes, new FileInfo(SegmentFileNames.LogFile(scenario.Directory, 0)).Length);
        scenario.ExpectOffsets(0, 10);
    }

    [Fact]
    public void A_crash_with_blocks_reserved_past_the_end_recovers_exactly_the_whole_batches()
    {
        using var scenario = LogScenario.WithZeroWindow(0).AppendMany(20, recordsEach: 3).Flush().Crash();
        string segment = SegmentFileNames.LogFile(scenario.Directory, 0);
        long whole = new FileInfo(segment).Length;
        using (var file = File.OpenHandle(segment, FileMode.Open, FileAccess.ReadWrite))
        {
            // As the process left it: blocks reserved past the end, and a torn batch written into them.
            Assert.True(Preallocation.TryReserve(file, whole, 4 * 1024 * 1024));
            byte[] torn = TestBatches.Values("torn", "write");
            RandomAccess.Write(file, torn.AsSpan(0, torn.Length / 2), whole);
        }

        scenario.Reopen().ExpectOffsets(0, 60).ExpectLogEnd(60);

        Assert.Equal(whole, new FileInfo(segment).Length);
        scenario.AppendValues("after").ExpectOffsets(0, 61);
    }
}
