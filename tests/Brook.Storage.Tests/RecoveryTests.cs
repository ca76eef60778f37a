using Brook.Storage.Tests.Support;

namespace Brook.Storage.Tests;

public sealed class RecoveryTests
{
    [Fact]
    public void A_clean_restart_keeps_everything_and_appends_continue()
    {
        using var scenario = LogScenario.Start(LogConfig.Default with { SegmentBytes = 512 })
            .AppendMany(10)
            .Restart()
            .ExpectLogEnd(10)
            .AppendValues("after")
            .ExpectOffsets(0, 11);
    }

    [Fact]
    public void A_crash_after_a_flush_keeps_every_flushed_batch()
    {
        using var scenario = LogScenario.Start(LogConfig.Default with { SegmentBytes = 512 })
            .AppendMany(10)
            .Flush()
            .Crash()
            .Reopen()
            .ExpectOffsets(0, 10);
    }

    [Fact]
    public void A_crash_right_after_a_clean_start_is_still_recovered_correctly()
    {
        using var scenario = LogScenario.Start()
            .AppendValues("a")
            .Restart()
            .AppendValues("b")
            .Crash()
            .Reopen()
            .ExpectRecords("a", "b");
        Assert.False(File.ReadAllText(Path.Combine(scenario.Directory, "partition-checkpoint")).Contains("clean-shutdown 1", StringComparison.Ordinal));
    }

    [Fact]
    public void Missing_indexes_are_rebuilt_on_start()
    {
        using var scenario = LogScenario.Start(LogConfig.Default with { SegmentBytes = 2048, IndexIntervalBytes = 128 })
            .AppendMany(40)
            .Crash();
        foreach (string index in Directory.GetFiles(scenario.Directory, "*index"))
        {
            File.Delete(index);
        }

        scenario.Reopen().ExpectOffsets(0, 40);

        using var read = scenario.Log.Read(33, 100, long.MaxValue);
        var buffer = new byte[1024];
        Assert.Equal(33, TestBatches.Parse(buffer.AsSpan(0, read.CopyTo(buffer)))[0].Offset);
    }

    [Fact]
    public void A_corrupt_batch_in_the_middle_cuts_the_log_there_and_drops_later_segments()
    {
        using var scenario = LogScenario.Start(LogConfig.Default with { SegmentBytes = 1024 })
            .AppendMany(20, valueSize: 100)
            .Crash();
        string first = Path.Combine(scenario.Directory, "00000000000000000000.log");
        var bytes = File.ReadAllBytes(first);
        int secondBatch = bytes.Length / 2;
        bytes[bytes.Length - 10] ^= 0xFF; // inside the last batch of the first segment
        File.WriteAllBytes(first, bytes);
        _ = secondBatch;

        scenario.Reopen();

        Assert.Equal(1, scenario.Log.SegmentCount);
        long end = scenario.Log.LogEndOffset;
        Assert.True(end < 20);
        scenario.ExpectOffsets(0, end);
    }

    [Fact]
    public void Leftovers_of_interrupted_operations_are_removed()
    {
        using var scenario = LogScenario.Start().AppendValues("a").Crash();
        File.WriteAllText(Path.Combine(scenario.Directory, "00000000000000000000.log.cleaned"), "junk");
        File.WriteAllText(Path.Combine(scenario.Directory, "00000000000000000005.log.deleted"), "junk");
        File.WriteAllText(Path.Combine(scenario.Directory, "00000000000000000009.index"), "orphan");

        scenario.Reopen().ExpectRecords("a");

        Assert.Equal(
            ["00000000000000000000.index", "00000000000000000000.log", "00000000000000000000.timeindex", "leader-epoch-checkpoint"],
            Directory.GetFiles(scenario.Directory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_crash_between_advancing_the_log_start_and_deleting_the_segment_is_finished_by_recovery()
    {
        using var scenario = LogScenario.Start().AppendValues("a", "b").Roll().AppendValues("c").Roll().AppendValues("d");
        var saved = SaveSegment(scenario.Directory, 0);
        scenario.Log.DeleteRecords(2);
        scenario.Crash();
        RestoreSegment(saved); // as if the process died after the checkpoint, before the unlink

        scenario.Reopen().ExpectLogStart(2).ExpectSegments(2).ExpectRecords("c", "d");
        Assert.False(File.Exists(Path.Combine(scenario.Directory, "00000000000000000000.log")));
    }

    [Fact]
    public void A_crash_inside_truncate_fully_ends_with_the_new_empty_log()
    {
        using var scenario = LogScenario.Start().AppendValues("a", "b").Roll().AppendValues("c");
        var first = SaveSegment(scenario.Directory, 0);
        var second = SaveSegment(scenario.Directory, 2);
        scenario.Log.TruncateFullyAndStartAt(100);
        scenario.Crash();
        foreach (string file in Directory.GetFiles(scenario.Directory, "00000000000000000100.*"))
        {
            File.Delete(file);
        }
        RestoreSegment(first); // as if it died after the checkpoint, before deleting anything
        RestoreSegment(second);

        scenario.Reopen().ExpectLogStart(100).ExpectLogEnd(100).AppendValues("z").ExpectOffsets(100, 101);
    }

    [Fact]
    public void Recovery_after_a_crash_scans_only_from_the_recovery_point()
    {
        using var scenario = LogScenario.Start()
            .AppendValues("a").AppendValues("b").Roll()
            .AppendValues("c").Flush();
        scenario.Log.Checkpoint(); // recovery point 3: segment 0 is wholly below it
        scenario.AppendValues("d");
        long activeBytes = scenario.Log.SizeInBytes - scenario.Log.Read(0, int.MaxValue, 2).Length; // the file may have zeros after them
        scenario.Crash();
        string trusted = Path.Combine(scenario.Directory, "00000000000000000000.log");
        long trustedLength = new FileInfo(trusted).Length;
        FlipByte(trusted, trustedLength - 1); // a scan would cut "b" here; recovery must not read this segment
        FlipByte(Path.Combine(scenario.Directory, "00000000000000000002.log"), activeBytes - 1); // the scan cuts "d"

        scenario.Reopen().ExpectLogEnd(3);

        Assert.Equal(trustedLength, new FileInfo(trusted).Length);
        Assert.Equal(["c"], scenario.ReadAll(from: 2).Select(r => r.Value));
    }

    private static void FlipByte(string path, long position)
    {
        var bytes = File.ReadAllBytes(path);
        bytes[position] ^= 0xFF;
        File.WriteAllBytes(path, bytes);
    }

    private static List<(string Path, byte[] Bytes)> SaveSegment(string directory, long baseOffset) =>
        Directory.GetFiles(directory, $"{baseOffset:D20}.*").Select(p => (p, File.ReadAllBytes(p))).ToList();

    private static void RestoreSegment(List<(string Path, byte[] Bytes)> files)
    {
        foreach (var (path, bytes) in files)
        {
            File.WriteAllBytes(path, bytes);
        }
    }
}
