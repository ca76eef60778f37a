using Brook.Storage.Files;
using Brook.Storage.Tests.Support;

namespace Brook.Storage.Tests;

/// <summary>
/// The active segment keeps written zeros ahead of its appends (docs/storage.md, "Zero window"):
/// appends overwrite them without growing the file, and everything else sees only the batches.
/// </summary>
public sealed class ZeroWindowTests
{
    private const int Window = 256 * 1024;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public void Appends_inside_the_zero_window_do_not_change_the_file_size()
    {
        using var scenario = LogScenario.WithZeroWindow(Window).AppendValues("first").Flush(); // the flush pass extends the window
        string file = SegmentFileNames.LogFile(scenario.Directory, 0);
        long length = new FileInfo(file).Length;
        Assert.True(length >= scenario.Log.SizeInBytes + 32 * 1024, $"file {length} bytes, batches {scenario.Log.SizeInBytes}");

        scenario.AppendMany(20).Flush();

        Assert.Equal(length, new FileInfo(file).Length);
        Assert.Equal(length - scenario.Log.SizeInBytes, scenario.Log.SegmentZeroWindowBytes[^1]);
        scenario.ExpectOffsets(0, 21);
    }

    [Fact]
    public void The_window_grows_with_the_segment_up_to_its_configured_size()
    {
        const int Large = 2 * 1024 * 1024;
        using var scenario = LogScenario.WithZeroWindow(Large).AppendValues("first").Flush();
        long small = scenario.Log.SegmentZeroWindowBytes[^1];

        scenario.AppendMany(2200, valueSize: 1000).Flush(); // about 2.3 MB: more than the window

        Assert.InRange(small, 1024 * 1024, 1028 * 1024); // a fresh segment starts with a smaller window
        Assert.InRange(scenario.Log.SegmentZeroWindowBytes[^1], Large, Large + 4096);
    }

    [Fact]
    public void The_window_grows_again_once_appends_have_used_half_of_it()
    {
        using var scenario = LogScenario.WithZeroWindow(16 * 1024).AppendValues("first").Flush();
        string file = SegmentFileNames.LogFile(scenario.Directory, 0);
        long length = new FileInfo(file).Length;

        scenario.AppendMany(60, valueSize: 200).Flush(); // about 15 KiB: past half the window

        Assert.True(new FileInfo(file).Length > length);
        Assert.True(scenario.Log.SegmentZeroWindowBytes[^1] >= 8 * 1024);
        scenario.ExpectOffsets(0, 61);
    }

    [Fact]
    public async Task With_a_flusher_the_window_is_extended_in_the_background_and_a_crash_keeps_every_flushed_batch()
    {
        using var directory = new TempDirectory();
        string path = directory.Sub("t-0");
        var options = new LogOptions { ZeroWindowBytes = Window };
        long flushedEnd;
        await using (var flusher = new LogFlusher())
        {
            var log = PartitionLog.Open(path, LogConfig.Default, options with { Flusher = flusher });
            long end = 0;
            for (int i = 0; i < 10; i++)
            {
                end = log.Append(TestBatches.Values($"v{i}"), 0).EndOffset;
            }
            Assert.Equal(StorageErrorCode.None, await log.WaitForFlushAsync(end, mayFlushOnCallerThread: false, CancellationToken.None).AsTask().WaitAsync(Deadline));
            await WaitUntil(() => log.SegmentZeroWindowBytes[^1] > 0);
            flushedEnd = log.FlushedOffset;
            log.SimulateCrash();
        }
        string file = SegmentFileNames.LogFile(path, 0);
        Assert.True(new FileInfo(file).Length >= Window);

        using var reopened = PartitionLog.Open(path, LogConfig.Default, options);

        Assert.Equal(10, flushedEnd);
        Assert.Equal(10, reopened.LogEndOffset);
        Assert.Equal(reopened.SizeInBytes, new FileInfo(file).Length);
    }

    [Fact]
    public void A_log_appending_faster_than_the_rate_limit_lets_its_window_run_out_and_gets_it_back_when_slower()
    {
        using var scenario = LogScenario.WithZeroWindow(16 * 1024, maxBytesPerSecond: 10_000).AppendValues("first").Flush();
        string file = SegmentFileNames.LogFile(scenario.Directory, 0);
        scenario.AppendMany(10, valueSize: 200).TimePasses(TimeSpan.FromMilliseconds(100)).AppendValues("fast"); // about 28 KB/s

        scenario.AppendMany(80, valueSize: 200).Flush(); // more than the window

        Assert.Equal(0, scenario.Log.SegmentZeroWindowBytes[^1]);
        Assert.Equal(scenario.Log.SizeInBytes, new FileInfo(file).Length);

        scenario.TimePasses(TimeSpan.FromSeconds(10)).AppendValues("slow").Flush(); // about 1.6 KB/s

        Assert.True(scenario.Log.SegmentZeroWindowBytes[^1] >= 8 * 1024);
        scenario.ExpectOffsets(0, 93);
    }

    [Fact]
    public void A_crash_recovers_exactly_the_appended_batches_and_cuts_the_zero_tail_without_a_warning()
    {
        using var scenario = LogScenario.WithZeroWindow(Window).AppendMany(5).Flush().AppendMany(3); // the last three only in the page cache
        long batches = scenario.Log.SizeInBytes;
        string file = SegmentFileNames.LogFile(scenario.Directory, 0);
        scenario.Crash();
        Assert.True(new FileInfo(file).Length > batches);

        scenario.Reopen().ExpectOffsets(0, 8).ExpectLogEnd(8);

        Assert.Equal(batches, new FileInfo(file).Length);
        Assert.Empty(scenario.Warnings.Messages);
        scenario.AppendValues("after").ExpectOffsets(0, 9);
    }

    [Theory]
    [InlineData(0)] // the first half of a batch reached the disk
    [InlineData(100)] // a later page of it did, the first did not
    public void A_torn_batch_in_the_zero_window_is_cut_with_a_warning(int gap)
    {
        using var scenario = LogScenario.WithZeroWindow(Window).AppendMany(5).Flush();
        long batches = scenario.Log.SizeInBytes;
        string file = SegmentFileNames.LogFile(scenario.Directory, 0);
        scenario.Crash();
        using (var handle = File.OpenHandle(file, FileMode.Open, FileAccess.ReadWrite))
        {
            byte[] torn = TestBatches.Values("torn", "write");
            RandomAccess.Write(handle, torn.AsSpan(gap == 0 ? 0 : torn.Length / 2), batches + gap);
        }

        scenario.Reopen().ExpectOffsets(0, 5).ExpectLogEnd(5);

        Assert.Equal(batches, new FileInfo(file).Length);
        Assert.Contains(scenario.Warnings.Messages, m => m.Contains("torn or corrupt", StringComparison.Ordinal));
    }

    [Fact]
    public void A_zero_tail_on_a_segment_before_the_last_is_not_damage()
    {
        using var scenario = LogScenario.WithZeroWindow(Window).AppendMany(3).Roll().AppendMany(2).Flush();
        string first = SegmentFileNames.LogFile(scenario.Directory, 0);
        long firstBatches = new FileInfo(first).Length;
        scenario.Crash();
        using (var handle = File.OpenHandle(first, FileMode.Open, FileAccess.ReadWrite))
        {
            // As if the crash came between writing zeros past it and the roll's trim reaching the disk.
            ZeroFill.Write(handle, firstBatches, firstBatches + 8192);
        }

        scenario.Reopen().ExpectOffsets(0, 5).ExpectSegments(2);

        Assert.Equal(firstBatches, new FileInfo(first).Length);
        Assert.Empty(scenario.Warnings.Messages);
    }

    [Fact]
    public void Roll_and_clean_close_cut_segment_files_to_their_batches()
    {
        using var scenario = LogScenario.WithZeroWindow(Window).AppendMany(5).Flush();
        long first = scenario.Log.SizeInBytes;
        string firstFile = SegmentFileNames.LogFile(scenario.Directory, 0);
        Assert.True(new FileInfo(firstFile).Length > first);

        scenario.Roll().AppendMany(2).Flush();

        Assert.Equal(first, new FileInfo(firstFile).Length);
        Assert.Equal(0, scenario.Log.SegmentZeroWindowBytes[0]);
        long total = scenario.Log.SizeInBytes;
        string activeFile = SegmentFileNames.LogFile(scenario.Directory, 5);
        Assert.True(new FileInfo(activeFile).Length > total - first);

        scenario.Log.Dispose();

        Assert.Equal(total - first, new FileInfo(activeFile).Length);
        scenario.Reopen().ExpectOffsets(0, 7);
        Assert.Empty(scenario.Warnings.Messages);
    }

    [Fact]
    public void Reads_return_the_batches_and_never_the_zeros_after_them()
    {
        using var scenario = LogScenario.WithZeroWindow(Window).AppendMany(4).Flush();
        var buffer = new byte[1 << 20];

        using var read = scenario.Log.Read(0, buffer.Length, long.MaxValue);
        using var atEnd = scenario.Log.Read(4, buffer.Length, long.MaxValue);

        Assert.Equal(scenario.Log.SizeInBytes, read.Length);
        Assert.Equal(read.Length, read.CopyTo(buffer));
        Assert.Equal(4, TestBatches.Parse(buffer.AsSpan(0, read.Length)).Count);
        Assert.True(atEnd.IsEmpty);
        Assert.Equal(4, scenario.Log.OffsetForTimestamp(ListOffsetsTimestamp.Latest).Offset);
    }

    [Fact]
    public void Size_and_retention_by_size_count_the_batches_not_the_zero_window()
    {
        using var scenario = LogScenario.WithZeroWindow(Window)
            .AppendMany(3).Roll().AppendMany(3).Roll().AppendMany(3).Flush();
        long segmentBytes = scenario.Log.SizeInBytes / 3; // equal batches, three per segment
        Assert.True(scenario.Log.SegmentZeroWindowBytes[^1] > 0);

        scenario.Reconfigure(scenario.Log.Config with { RetentionBytes = 2 * segmentBytes }).RunRetention();

        scenario.ExpectSegments(2).ExpectLogStart(3);
        Assert.Equal(2 * segmentBytes, scenario.Log.SizeInBytes);
    }

    private static Task WaitUntil(Func<bool> condition) => Eventually.Until(condition, Deadline);
}
