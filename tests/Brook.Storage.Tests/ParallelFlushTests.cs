using Brook.Storage.Tests.Support;
using Brook.Tests.Shared;

namespace Brook.Storage.Tests;

public sealed class ParallelFlushTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_waiter_that_leaves_the_fsync_to_the_flusher_is_released_only_after_the_fsync()
    {
        using var directory = new TempDirectory();
        await using var flusher = new LogFlusher();
        using var log = PartitionLog.Open(directory.Sub("t-0"), LogConfig.Default, new LogOptions { Flusher = flusher });
        long end = log.Append(TestBatches.Values("a", "b"), 0).EndOffset;

        Task<StorageErrorCode> waiting;
        using (new HeldLock(log.FlushLock))
        {
            // While the lock is held no flush can finish: the wait must still be pending.
            waiting = log.WaitForFlushAsync(end, mayFlushOnCallerThread: false, CancellationToken.None).AsTask();
            Assert.False(waiting.IsCompleted);
            Assert.Equal(0, log.FlushedOffset);
        }

        Assert.Equal(StorageErrorCode.None, await waiting.WaitAsync(Deadline));
        Assert.True(log.FlushedOffset >= end);
    }

    [Fact]
    public async Task A_slow_fsync_of_one_log_does_not_hold_up_the_others()
    {
        using var directory = new TempDirectory();
        await using var flusher = new LogFlusher(parallelism: 2);
        using var slow = PartitionLog.Open(directory.Sub("slow-0"), LogConfig.Default, new LogOptions { Flusher = flusher });
        using var fast = PartitionLog.Open(directory.Sub("fast-0"), LogConfig.Default, new LogOptions { Flusher = flusher });
        long slowEnd = slow.Append(TestBatches.Values("a"), 0).EndOffset;
        long fastEnd = fast.Append(TestBatches.Values("b"), 0).EndOffset;

        Task<StorageErrorCode> slowWait;
        using (new HeldLock(slow.FlushLock))
        {
            slowWait = slow.WaitForFlushAsync(slowEnd, mayFlushOnCallerThread: false, CancellationToken.None).AsTask();
            // One worker is now stuck behind the slow log; the other still flushes the fast one.
            Assert.Equal(StorageErrorCode.None, await fast.WaitForFlushAsync(fastEnd, mayFlushOnCallerThread: false, CancellationToken.None).AsTask().WaitAsync(Deadline));
            Assert.False(slowWait.IsCompleted);
        }

        Assert.Equal(StorageErrorCode.None, await slowWait.WaitAsync(Deadline));
        Assert.True(fast.FlushedOffset >= fastEnd && slow.FlushedOffset >= slowEnd);
    }

    [Fact]
    public async Task Waits_started_on_many_logs_before_any_is_awaited_all_end_durable()
    {
        using var directory = new TempDirectory();
        await using var flusher = new LogFlusher();
        var logs = Enumerable.Range(0, 16)
            .Select(p => PartitionLog.Open(directory.Sub($"t-{p}"), LogConfig.Default, new LogOptions { Flusher = flusher }))
            .ToList();
        try
        {
            for (int round = 0; round < 20; round++)
            {
                var ends = logs.Select(log => log.Append(TestBatches.Values($"r{round}"), 0).EndOffset).ToList();
                var waits = logs.Select((log, i) => log.WaitForFlushAsync(ends[i], mayFlushOnCallerThread: false, CancellationToken.None).AsTask()).ToArray();

                var errors = await Task.WhenAll(waits).WaitAsync(Deadline);

                Assert.All(errors, e => Assert.Equal(StorageErrorCode.None, e));
                Assert.All(logs.Select((log, i) => log.FlushedOffset >= ends[i]), Assert.True);
            }
        }
        finally
        {
            logs.ForEach(log => log.Dispose());
        }
    }
}
