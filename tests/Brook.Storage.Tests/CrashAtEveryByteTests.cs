using Brook.Protocol.Records;
using Brook.Storage.Tests.Support;

namespace Brook.Storage.Tests;

/// <summary>A crash can stop a write at any byte: recovery must keep exactly the whole batches before it.</summary>
public sealed class CrashAtEveryByteTests
{
    [Fact]
    public void Recovery_keeps_exactly_the_whole_batches_wherever_the_last_write_was_cut()
    {
        using var directory = new TempDirectory();
        string source = directory.Sub("source-0");
        long lastBatchStart;
        long fileLength;
        using (var log = PartitionLog.Open(source, LogConfig.Default with { IndexIntervalBytes = 64 }))
        {
            for (int i = 0; i < 5; i++)
            {
                log.Append(TestBatches.Values($"a{i}", $"b{i}"), 0);
            }
            lastBatchStart = new FileInfo(Path.Combine(source, "00000000000000000000.log")).Length;
            log.Append(TestBatches.Build([new TestRecord("k", "last-1"), new TestRecord("k", "last-2"), new TestRecord(null, "last-3")]), 0);
            fileLength = new FileInfo(Path.Combine(source, "00000000000000000000.log")).Length;
            log.SimulateCrash();
        }
        byte[] whole = File.ReadAllBytes(Path.Combine(source, "00000000000000000000.log"));
        Assert.Equal(fileLength, whole.Length);

        for (long cut = lastBatchStart; cut <= fileLength; cut++)
        {
            string target = directory.Sub($"cut{cut}-0");
            Directory.CreateDirectory(target);
            File.WriteAllBytes(Path.Combine(target, "00000000000000000000.log"), whole.AsSpan(0, (int)cut).ToArray());
            foreach (string other in new[] { "00000000000000000000.index", "00000000000000000000.timeindex", "leader-epoch-checkpoint" })
            {
                File.Copy(Path.Combine(source, other), Path.Combine(target, other));
            }

            using var recovered = PartitionLog.Open(target, LogConfig.Default with { IndexIntervalBytes = 64 });

            long expectedEnd = cut == fileLength ? 13 : 10;
            Assert.Equal(expectedEnd, recovered.LogEndOffset);
            Assert.Equal(cut == fileLength ? fileLength : lastBatchStart, new FileInfo(Path.Combine(target, "00000000000000000000.log")).Length);
            using var read = recovered.Read(0, 1 << 20, long.MaxValue);
            var buffer = new byte[1 << 20];
            var records = TestBatches.Parse(buffer.AsSpan(0, read.CopyTo(buffer)));
            Assert.Equal(expectedEnd, records.Count);
            Assert.Equal(recovered.LogEndOffset, recovered.Append(TestBatches.Values("next"), 0).FirstOffset);
        }
    }

    [Fact]
    public void Recovery_drops_a_last_batch_with_any_flipped_byte_under_its_crc()
    {
        using var directory = new TempDirectory();
        string source = directory.Sub("source-0");
        long lastBatchStart;
        using (var log = PartitionLog.Open(source, LogConfig.Default))
        {
            log.Append(TestBatches.Values("a", "b"), 0);
            lastBatchStart = new FileInfo(Path.Combine(source, "00000000000000000000.log")).Length;
            log.Append(TestBatches.Values("c", "d"), 0);
            log.SimulateCrash();
        }
        byte[] whole = File.ReadAllBytes(Path.Combine(source, "00000000000000000000.log"));

        for (long at = lastBatchStart + RecordBatchHeader.CrcCoverageStart; at < whole.Length; at++)
        {
            string target = directory.Sub($"flip{at}-0");
            Directory.CreateDirectory(target);
            byte[] damaged = (byte[])whole.Clone();
            damaged[at] ^= 0x5A;
            File.WriteAllBytes(Path.Combine(target, "00000000000000000000.log"), damaged);

            using var recovered = PartitionLog.Open(target, LogConfig.Default);

            Assert.Equal(2, recovered.LogEndOffset);
        }
    }
}
