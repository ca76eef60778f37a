using Brook.Broker.Cluster;
using Brook.Broker.Handlers;
using Brook.Broker.Tests.Handlers;
using Brook.Protocol.Messages;

namespace Brook.Broker.Tests.Transactions;

/// <summary>An embedded broker whose <see cref="KafkaBroker"/> the test can reach (to set a verifier), plus the transaction requests the tests send.</summary>
internal sealed class TxnBroker : IAsyncDisposable
{
    private TxnBroker(BrokerUnderTest server) => Server = server;

    public BrokerUnderTest Server { get; }

    public KafkaBroker Broker { get; private set; } = null!;

    /// <param name="coordinatorVerifies">Keep the broker's own coordinator as the KIP-890 verifier (off by default: markers come from WriteTxnMarkers).</param>
    public static async Task<TxnBroker> StartAsync(bool coordinatorVerifies = false)
    {
        TxnBroker? holder = null;
        BrokerUnderTest? server = null;
        KafkaBroker? first = null;
        server = await BrokerUnderTest.StartAsync(options =>
        {
            options.Broker.Transactions.AbortHangingTransactions = coordinatorVerifies;
            options.DispatcherFactory = brook => CreateDispatcher(brook);
        });
        holder = new TxnBroker(server) { Broker = first! };
        return holder;

        KafkaApiDispatcher CreateDispatcher(Brook.Broker.Hosting.BrookServer brook)
        {
            KafkaBroker broker = KafkaBroker.OpenAsync(brook.NodeId, brook.DataDirectory, () => brook.AdvertisedKafkaAddress,
                brook.Options.Broker, brook.LoggerFactory, brook.TimeProvider).GetAwaiter().GetResult();
            // The partition side alone: markers come from WriteTxnMarkers, not the coordinator, so its verification is off unless a test sets one.
            if (!coordinatorVerifies)
            {
                broker.TransactionVerifier = null;
            }
            if (holder is null)
            {
                first = broker;
            }
            else
            {
                holder.Broker = broker;
            }
            return new KafkaApiDispatcher(ApiHandlerRegistry.CreateDefault(broker), brook.LoggerFactory.CreateLogger("test"), broker);
        }
    }

    public Task<KafkaTestClient> ConnectAsync() => Server.ConnectAsync();

    public Task RestartAsync() => Server.RestartAsync();

    public ValueTask DisposeAsync() => Server.DisposeAsync();

    public static ProduceRequest Produce(string topic, int partition, byte[] batch, string? transactionalId = "tx") => new()
    {
        Acks = -1,
        TimeoutMs = 10_000,
        TransactionalId = transactionalId,
        TopicData = [new ProduceRequest.TopicProduceData { Name = topic, PartitionData = [new ProduceRequest.PartitionProduceData { Index = partition, Records = batch }] }],
    };

    public static WriteTxnMarkersRequest Markers(long producerId, short epoch, bool commit, string topic, params int[] partitions) => new()
    {
        Markers = [new WriteTxnMarkersRequest.WritableTxnMarker
        {
            ProducerId = producerId,
            ProducerEpoch = epoch,
            TransactionResult = commit,
            CoordinatorEpoch = 0,
            Topics = [new WriteTxnMarkersRequest.WritableTxnMarkerTopic { Name = topic, PartitionIndexes = [.. partitions] }],
        }],
    };

    public static FetchRequest Fetch(string topic, int partition, long offset, bool readCommitted, int maxWaitMs = 0) => new()
    {
        MaxWaitMs = maxWaitMs,
        MinBytes = 1,
        MaxBytes = 50 * 1024 * 1024,
        IsolationLevel = (sbyte)(readCommitted ? 1 : 0),
        Topics = [new FetchRequest.FetchTopic { Topic = topic, Partitions = [new FetchRequest.FetchPartition { Partition = partition, FetchOffset = offset, PartitionMaxBytes = 10 * 1024 * 1024 }] }],
    };

    public static ListOffsetsRequest Latest(string topic, int partition, bool readCommitted) => new()
    {
        ReplicaId = -1,
        IsolationLevel = (sbyte)(readCommitted ? 1 : 0),
        Topics = [new() { Name = topic, Partitions = [new() { PartitionIndex = partition, Timestamp = -1 }] }],
    };
}
