using System.Net;
using Brook.Broker.Cluster;
using Brook.Broker.Tests.Handlers;
using Brook.Protocol.Errors;
using Microsoft.Extensions.Logging.Abstractions;

namespace Brook.Broker.Tests.Partitions;

public sealed class CommitTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "brook-commit-" + Guid.NewGuid().ToString("N"));
    private KafkaBroker _broker = null!;

    public async Task InitializeAsync()
    {
        _broker = await KafkaBroker.OpenAsync(1, _directory, () => new DnsEndPoint("localhost", 9092),
            new KafkaBrokerOptions(), NullLoggerFactory.Instance, TimeProvider.System);
        await _broker.CreateTopicAsync("t", 8, new Dictionary<string, string>(), validateOnly: false, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _broker.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Commits_of_several_partitions_started_together_each_complete_only_once_fsynced()
    {
        var partitions = Enumerable.Range(0, 8).Select(p => _broker.FindPartition("t", p)!).ToList();
        var ends = partitions.Select(p => p.Append(Requests.Batch(3)).EndOffset).ToList();

        var commits = partitions.Select((p, i) => p.WaitUntilCommittedAsync(ends[i], CancellationToken.None).AsTask()).ToArray();

        for (int i = 0; i < commits.Length; i++)
        {
            Assert.Equal(ErrorCode.None, await commits[i].WaitAsync(Deadline));
            // The flushed offset moves only after the fsync returned, so a completed commit was durable.
            Assert.True(partitions[i].Log.FlushedOffset >= ends[i]);
            Assert.Equal(ends[i], partitions[i].HighWatermark);
        }
    }
}
