using System.Net;
using Brook.Broker.Cluster;
using Brook.Broker.Partitions;
using Brook.Broker.Tests.Handlers;
using Brook.Protocol.Errors;
using Microsoft.Extensions.Logging.Abstractions;

namespace Brook.Broker.Tests.Cluster;

/// <summary>A topic deleted and created again under the same name has only the new topic's data, across restarts too.</summary>
public sealed class TopicRecreationTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "brook-recreate-" + Guid.NewGuid().ToString("N"));
    private KafkaBroker _broker = null!;

    public async Task InitializeAsync() => _broker = await OpenAsync();

    public async Task DisposeAsync()
    {
        await _broker.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_recreated_topics_records_survive_a_restart_and_the_deleted_ones_stay_gone()
    {
        await CreateAsync();
        await AppendCommittedAsync(3);
        TopicChange deleted = await _broker.DeleteTopicAsync(Topic(), CancellationToken.None);
        Assert.Equal(ErrorCode.None, deleted.Error);
        await CreateAsync();
        var recreatedId = Topic().Id;
        await AppendCommittedAsync(2);

        await _broker.DisposeAsync();
        _broker = await OpenAsync();

        Assert.Equal(recreatedId, Topic().Id);
        PartitionLeader partition = _broker.FindPartition("orders", 0)!;
        Assert.Equal(2, partition.Log.LogEndOffset);
        Assert.Equal(2, partition.HighWatermark);
    }

    [Fact]
    public async Task A_topic_deleted_after_being_recreated_stays_deleted_after_a_restart_with_no_directory_left()
    {
        await CreateAsync();
        await AppendCommittedAsync(1);
        Assert.Equal(ErrorCode.None, (await _broker.DeleteTopicAsync(Topic(), CancellationToken.None)).Error);
        await CreateAsync();
        await AppendCommittedAsync(1);
        Assert.Equal(ErrorCode.None, (await _broker.DeleteTopicAsync(Topic(), CancellationToken.None)).Error);

        await _broker.DisposeAsync();
        _broker = await OpenAsync();

        Assert.False(_broker.TryGetTopic("orders", out _));
        Assert.Empty(Directory.GetDirectories(_directory, "orders-*"));
    }

    [Fact]
    public async Task A_directory_a_deletion_left_behind_is_set_aside_not_adopted_by_the_topic_created_again()
    {
        await CreateAsync();
        await AppendCommittedAsync(3);
        string directory = Path.Combine(_directory, "orders-0");
        string copy = Path.Combine(_directory, "orders-copy");
        Directory.CreateDirectory(copy);
        foreach (string file in Directory.GetFiles(directory))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }
        Assert.Equal(ErrorCode.None, (await _broker.DeleteTopicAsync(Topic(), CancellationToken.None)).Error);
        Directory.Move(copy, directory); // what a deletion whose rename failed leaves behind

        await CreateAsync();

        Assert.Equal(0, _broker.FindPartition("orders", 0)!.Log.LogEndOffset);
        string stray = Assert.Single(Directory.GetDirectories(_directory, "orders-0.*-stray"));
        Assert.NotEmpty(Directory.GetFiles(stray, "*.log"));
    }

    private TopicState Topic() => _broker.TryGetTopic("orders", out TopicState? topic) ? topic : throw new InvalidOperationException("no topic");

    private async Task CreateAsync()
    {
        TopicChange created = await _broker.CreateTopicAsync("orders", 1, new Dictionary<string, string>(), validateOnly: false, CancellationToken.None);
        Assert.Equal(ErrorCode.None, created.Error);
    }

    private async Task AppendCommittedAsync(int batches)
    {
        PartitionLeader partition = _broker.FindPartition("orders", 0)!;
        for (int i = 0; i < batches; i++)
        {
            AppendOutcome outcome = partition.Append(Requests.Batch(1));
            Assert.Equal(ErrorCode.None, outcome.Error);
            Assert.Equal(ErrorCode.None, await partition.WaitUntilCommittedAsync(outcome.EndOffset, CancellationToken.None));
        }
    }

    private Task<KafkaBroker> OpenAsync() => KafkaBroker.OpenAsync(1, _directory, () => new DnsEndPoint("localhost", 9092),
        new KafkaBrokerOptions(), NullLoggerFactory.Instance, TimeProvider.System);
}
