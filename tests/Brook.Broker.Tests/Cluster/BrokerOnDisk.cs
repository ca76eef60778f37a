using System.Net;
using Brook.Broker.Cluster;
using Brook.Broker.Partitions;
using Brook.Broker.Tests.Handlers;
using Brook.Protocol.Errors;
using Microsoft.Extensions.Logging.Abstractions;

namespace Brook.Broker.Tests.Cluster;

/// <summary>A <see cref="KafkaBroker"/> over a temporary data directory, restartable, with the steps the cluster tests repeat.</summary>
internal sealed class BrokerOnDisk : IAsyncDisposable
{
    private readonly KafkaBrokerOptions _options;

    private BrokerOnDisk(string directory, KafkaBrokerOptions options, KafkaBroker broker)
    {
        Directory = directory;
        _options = options;
        Broker = broker;
    }

    public string Directory { get; }

    public KafkaBroker Broker { get; private set; }

    public static async Task<BrokerOnDisk> OpenAsync(string name, KafkaBrokerOptions? options = null)
    {
        string directory = Path.Combine(Path.GetTempPath(), $"brook-{name}-" + Guid.NewGuid().ToString("N"));
        options ??= new KafkaBrokerOptions();
        return new BrokerOnDisk(directory, options, await OpenBrokerAsync(directory, options));
    }

    /// <summary>Closes the broker cleanly and opens a new one over the same data.</summary>
    public async Task RestartAsync()
    {
        await Broker.DisposeAsync();
        Broker = await OpenBrokerAsync(Directory, _options);
    }

    public TopicState Topic(string name) => Broker.TryGetTopic(name, out TopicState? topic) ? topic : throw new InvalidOperationException($"no topic {name}");

    public async Task CreateAsync(string name, int partitions = 1)
    {
        TopicChange created = await Broker.CreateTopicAsync(name, partitions, new Dictionary<string, string>(), validateOnly: false, CancellationToken.None);
        Assert.Equal(ErrorCode.None, created.Error);
    }

    public async Task DeleteAsync(string name) =>
        Assert.Equal(ErrorCode.None, (await Broker.DeleteTopicAsync(Topic(name), CancellationToken.None)).Error);

    /// <summary>Appends one-record batches to partition 0 and waits until each is committed.</summary>
    public async Task AppendCommittedAsync(string topic, int batches)
    {
        PartitionLeader partition = Broker.FindPartition(topic, 0)!;
        for (int i = 0; i < batches; i++)
        {
            AppendOutcome outcome = partition.Append(Requests.Batch(1));
            Assert.Equal(ErrorCode.None, outcome.Error);
            Assert.Equal(ErrorCode.None, await partition.WaitUntilCommittedAsync(outcome.EndOffset, CancellationToken.None));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Broker.DisposeAsync();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private static Task<KafkaBroker> OpenBrokerAsync(string directory, KafkaBrokerOptions options) =>
        KafkaBroker.OpenAsync(1, directory, () => new DnsEndPoint("localhost", 9092), options, NullLoggerFactory.Instance, TimeProvider.System);
}
