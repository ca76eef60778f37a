using System.Diagnostics;
using System.Globalization;
using Brook.Storage.Tests.Support;

namespace Brook.Storage.Tests;

/// <summary>
/// The durability promise end to end: a child process appends with acks=all semantics and
/// prints an offset only once it is flushed; after <c>kill -9</c> every printed offset must be
/// in the log with its value.
/// </summary>
public sealed class KillDuringWritesTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Every_offset_acknowledged_before_a_kill_is_there_after_restart()
    {
        using var directory = new TempDirectory();
        string partition = directory.Sub("crash-0");
        var acknowledged = new List<(long Offset, string Value)>();

        using (var child = StartWriter(partition, writers: 4))
        {
            using var timeout = new CancellationTokenSource(Deadline);
            while (acknowledged.Count < 400)
            {
                string? line = await child.StandardOutput.ReadLineAsync(timeout.Token);
                if (line is null)
                {
                    Assert.Fail($"the writer stopped early: {await child.StandardError.ReadToEndAsync(timeout.Token)}");
                }
                string[] parts = line.Split(' ');
                acknowledged.Add((long.Parse(parts[0], CultureInfo.InvariantCulture), parts[1]));
            }
            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync(timeout.Token);
        }

        using var log = PartitionLog.Open(partition, LogConfig.Default with { SegmentBytes = 64 * 1024 });
        var buffer = new byte[64 * 1024];
        foreach (var (offset, value) in acknowledged)
        {
            using var read = log.Read(offset, 1, long.MaxValue);
            Assert.Equal(StorageErrorCode.None, read.Error);
            var records = TestBatches.Parse(buffer.AsSpan(0, read.CopyTo(buffer)));
            Assert.Contains(new ReadRecord(offset, null, value, 1000, 0), records);
        }
        Assert.True(log.LogEndOffset > acknowledged.Max(a => a.Offset));
    }

    private static Process StartWriter(string partition, int writers)
    {
        string testBinaries = AppContext.BaseDirectory;
        string writerDll = Path.GetFullPath(Path.Combine(testBinaries.Replace("Brook.Storage.Tests", "Brook.Storage.CrashWriter", StringComparison.Ordinal), "Brook.Storage.CrashWriter.dll"));
        Assert.True(File.Exists(writerDll), $"missing {writerDll}");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(writerDll);
        start.ArgumentList.Add(partition);
        start.ArgumentList.Add(writers.ToString(CultureInfo.InvariantCulture));
        return Process.Start(start) ?? throw new InvalidOperationException("could not start the crash writer");
    }
}
