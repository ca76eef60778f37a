using Brook.Broker.Partitions;
using Brook.Protocol.Errors;
using Brook.Protocol.Primitives;
using Brook.Storage;

namespace Brook.Broker.Tests.Partitions;

/// <summary>A partition leader over a temporary directory, restarted cleanly or as after kill -9.</summary>
internal sealed class LeaderUnderTest : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "brook-leader-" + Guid.NewGuid().ToString("N"));
    private readonly LogConfig _config;

    public LeaderUnderTest(LogConfig? config = null)
    {
        _config = config ?? LogConfig.Default;
        Leader = Open();
    }

    public string Directory => _directory;

    public PartitionLeader Leader { get; private set; }

    /// <summary>Appends a batch that must succeed and waits until it is committed.</summary>
    public async Task AppendAsync(byte[] batch)
    {
        AppendOutcome outcome = Leader.Append(batch);
        Assert.Equal(ErrorCode.None, outcome.Error);
        Assert.Equal(ErrorCode.None, await Leader.WaitUntilCommittedAsync(outcome.EndOffset, CancellationToken.None));
    }

    /// <summary>A clean shutdown (the producer state saved) and start.</summary>
    public void Restart()
    {
        Leader.SaveProducerState();
        Leader.Log.Dispose();
        Leader = Open();
    }

    /// <summary>kill -9: the files as they are now, opened again without a clean shutdown (and, unless kept, without any producer snapshot).</summary>
    public void Crash(bool keepProducerSnapshot)
    {
        string copy = _directory + "-crashed";
        System.IO.Directory.CreateDirectory(copy);
        foreach (string file in System.IO.Directory.GetFiles(_directory))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }
        if (!keepProducerSnapshot)
        {
            File.Delete(Path.Combine(copy, ProducerStateSnapshot.FileName));
        }
        Leader.Log.Dispose();
        System.IO.Directory.Delete(_directory, recursive: true);
        System.IO.Directory.Move(copy, _directory);
        Leader = Open();
    }

    public void Dispose()
    {
        Leader.Log.Dispose();
        System.IO.Directory.Delete(_directory, recursive: true);
    }

    private PartitionLeader Open()
    {
        var log = PartitionLog.Open(_directory, _config, new LogOptions { HighWatermarkFollowsLogEnd = false });
        var leader = new PartitionLeader(new TopicPartition("t", 0), Uuid.Zero, log);
        leader.Recover();
        return leader;
    }
}
