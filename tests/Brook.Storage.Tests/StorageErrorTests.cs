using Brook.Storage.Tests.Support;

namespace Brook.Storage.Tests;

/// <summary>
/// Disk full and I/O errors. The active segment is made a link to <c>/dev/full</c>, where every
/// write fails with ENOSPC, so the real error path runs without filling a disk.
/// </summary>
public sealed class StorageErrorTests
{
    [Fact]
    public void A_full_disk_fails_appends_with_a_storage_error_while_reads_go_on_and_flushed_data_stays_intact()
    {
        Assert.True(File.Exists("/dev/full"), "this test needs Linux's /dev/full");
        using var scenario = LogScenario.Start().AppendValues("a", "b").Roll().Flush().Restart();
        string active = Path.Combine(scenario.Directory, "00000000000000000002.log");
        scenario.Log.Dispose();
        File.Delete(active);
        File.CreateSymbolicLink(active, "/dev/full");
        scenario.Reopen();

        var result = scenario.Log.Append(TestBatches.Values("c"), 0);

        Assert.Equal(StorageErrorCode.KafkaStorageError, result.Error);
        Assert.Equal(2, scenario.Log.LogEndOffset);
        scenario.ExpectRecords("a", "b");

        scenario.Log.Dispose();
        File.Delete(active);
        File.WriteAllBytes(active, []);
        scenario.Reopen().ExpectRecords("a", "b").AppendValues("c").ExpectRecords("a", "b", "c");
    }

    [Fact]
    public async Task Waiting_for_durability_on_a_log_that_went_offline_reports_a_storage_error()
    {
        using var scenario = LogScenario.Start().AppendValues("a").Roll().Flush().Restart();
        string active = Path.Combine(scenario.Directory, "00000000000000000001.log");
        scenario.Log.Dispose();
        File.Delete(active);
        File.CreateSymbolicLink(active, "/dev/full");
        scenario.Reopen();

        scenario.Log.Append(TestBatches.Values("b"), 0);

        Assert.True(scenario.Log.IsOfflineForWrites);
        Assert.Equal(StorageErrorCode.KafkaStorageError, await scenario.Log.WaitForFlushAsync(2));
        Assert.Equal(StorageErrorCode.KafkaStorageError, scenario.Log.Append(TestBatches.Values("c"), 0).Error);
    }
}
