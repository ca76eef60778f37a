using System.Net;
using Brook.Broker.Cluster;
using Brook.Broker.Groups;
using Brook.Broker.Partitions;
using Brook.Broker.Tests.Support;
using Brook.Broker.Transactions;
using Brook.Protocol.Compression;
using Brook.Protocol.Errors;
using Brook.Protocol.Records;
using Microsoft.Extensions.Logging.Abstractions;

namespace Brook.Broker.Tests.Transactions;

/// <summary>A broker over a temporary directory on a manual clock, for driving its transaction coordinator directly.</summary>
public sealed class TransactionsUnderTest : IAsyncDisposable
{
    public const string Topic = "payments";
    public const int TimeoutMs = 60_000;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "brook-txn-" + Guid.NewGuid().ToString("N"));
    private readonly TransactionCoordinatorOptions _options;

    private TransactionsUnderTest(TransactionCoordinatorOptions options)
    {
        _options = options;
    }

    public ManualTimeProvider Clock { get; } = new();

    public KafkaBroker Broker { get; private set; } = null!;

    public TransactionCoordinator Coordinator => Broker.Transactions;

    public static async Task<TransactionsUnderTest> StartAsync(Action<TransactionCoordinatorOptions>? configure = null)
    {
        var options = new TransactionCoordinatorOptions { StateLogPartitions = 3, CompletionWait = TimeSpan.FromMilliseconds(200) };
        configure?.Invoke(options);
        var test = new TransactionsUnderTest(options);
        await test.OpenAsync();
        await test.Broker.CreateTopicAsync(Topic, 3, new Dictionary<string, string>(), validateOnly: false, CancellationToken.None);
        return test;
    }

    private async Task OpenAsync()
    {
        Broker = await KafkaBroker.OpenAsync(1, _directory, () => new DnsEndPoint("localhost", 9092),
            new KafkaBrokerOptions { Transactions = _options, Groups = new() { OffsetsTopicPartitions = 3, InitialRebalanceDelay = TimeSpan.Zero } },
            NullLoggerFactory.Instance, Clock);
    }

    /// <summary>Closes the broker and opens it over the same directory: the coordinator replays __transaction_state.</summary>
    public async Task RestartAsync()
    {
        await Broker.DisposeAsync();
        await OpenAsync();
    }

    /// <summary>InitProducerId that must succeed.</summary>
    public async Task<(long ProducerId, short Epoch)> InitAsync(string id, int timeoutMs = TimeoutMs)
    {
        InitProducerIdResult result = await Coordinator.InitProducerIdAsync(id, timeoutMs, -1, -1, CancellationToken.None);
        Assert.Equal(ErrorCode.None, result.Error);
        return (result.ProducerId, result.ProducerEpoch);
    }

    /// <summary>InitProducerId, then AddOffsetsToTxn's effect: the group's __consumer_offsets partition joins the transaction.</summary>
    public async Task<(long ProducerId, short Epoch)> InTransactionWithOffsetsAsync(string id, string group)
    {
        var producer = await InitAsync(id);
        Assert.Equal(ErrorCode.None, await Coordinator.AddPartitionsAsync(id, producer.ProducerId, producer.Epoch,
            [(OffsetsTopic.Name, OffsetsTopic.PartitionFor(group, 3))], CancellationToken.None));
        return producer;
    }

    public Task<ErrorCode> AddAsync(string id, (long ProducerId, short Epoch) producer, params int[] partitions) =>
        Coordinator.AddPartitionsAsync(id, producer.ProducerId, producer.Epoch, [.. partitions.Select(p => (Topic, p))], CancellationToken.None);

    public TransactionState StateOf(string id) => Coordinator.Describe(id)?.State ?? TransactionState.Dead;

    /// <summary>Waits until the id's transaction reaches <paramref name="state"/> (markers are written in the background).</summary>
    public Task StateBecomes(string id, TransactionState state) => Eventually.True(() => StateOf(id) == state, () => $"{id} is {state} (it is {StateOf(id)})");

    /// <summary>The transaction markers on a partition: (producer id, epoch, commit).</summary>
    public List<(long ProducerId, short Epoch, bool Commit)> MarkersOn(string topic, int partition)
    {
        var markers = new List<(long, short, bool)>();
        PartitionLeader leader = Broker.FindPartition(topic, partition)!;
        using var scratch = new PooledBufferWriter(0);
        LogScan.ForEachBatch(leader.Log, leader.Log.LogStartOffset, batch =>
        {
            if (!batch.Header.IsControl)
            {
                return;
            }
            foreach (Brook.Protocol.Records.Record record in batch.GetRecords(scratch, 1024))
            {
                if (ControlRecord.TryReadKey(record.Key, out _, out ControlRecordType type))
                {
                    markers.Add((batch.Header.ProducerId, batch.Header.ProducerEpoch, type == ControlRecordType.Commit));
                }
            }
        });
        return markers;
    }

    /// <summary>Every (id, state) record of __transaction_state in log order, tombstones as Dead.</summary>
    public List<(string Id, TransactionState State, short Epoch)> StateRecords()
    {
        var records = new List<(string, TransactionState, short)>();
        if (!Broker.TryGetTopic(TransactionStateTopic.Name, out TopicState? topic))
        {
            return records;
        }
        using var scratch = new PooledBufferWriter(0);
        foreach (PartitionLeader partition in topic.Partitions)
        {
            LogScan.ForEachBatch(partition.Log, partition.Log.LogStartOffset, batch =>
            {
                foreach (Brook.Protocol.Records.Record record in batch.GetRecords(scratch, 1024 * 1024))
                {
                    string id = TransactionLogCodec.DecodeKey(record.Key)!;
                    TransactionLogEntry? entry = record.ValueIsNull ? null : TransactionLogCodec.DecodeValue(record.Value);
                    records.Add((id, entry?.State ?? TransactionState.Dead, entry?.ProducerEpoch ?? -1));
                }
            });
        }
        return records;
    }

    public async ValueTask DisposeAsync()
    {
        await Broker.DisposeAsync();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
