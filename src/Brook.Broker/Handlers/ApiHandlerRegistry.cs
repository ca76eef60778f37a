using Brook.Broker.Cluster;
using Brook.Broker.Network;

namespace Brook.Broker.Handlers;

/// <summary>
/// Every API this broker serves, indexed by key. ApiVersions advertises exactly this table, so an
/// API that is not registered here is neither advertised nor answered.
/// </summary>
public sealed class ApiHandlerRegistry
{
    private readonly IApiHandler?[] _byKey;

    public ApiHandlerRegistry(IEnumerable<IApiHandler> handlers)
    {
        ArgumentNullException.ThrowIfNull(handlers);
        var list = handlers.ToList();
        _byKey = new IApiHandler?[list.Count == 0 ? 0 : list.Max(h => (int)h.Key) + 1];
        foreach (IApiHandler handler in list)
        {
            if (_byKey[(int)handler.Key] is not null)
            {
                throw new ArgumentException($"two handlers for {handler.Key}", nameof(handlers));
            }
            _byKey[(int)handler.Key] = handler;
        }
    }

    /// <summary>The handlers of everything a single-node broker serves today; <paramref name="network"/> is the listener's settings (defaults when null), for DescribeConfigs.</summary>
    public static ApiHandlerRegistry CreateDefault(KafkaBroker broker, KafkaNetworkOptions? network = null)
    {
        var registry = new List<IApiHandler>
        {
            new ProduceHandler(broker),
            new FetchHandler(broker),
            new ListOffsetsHandler(broker),
            new MetadataHandler(broker),
            new CreateTopicsHandler(broker),
            new DeleteTopicsHandler(broker),
            new DeleteRecordsHandler(broker),
            new InitProducerIdHandler(broker),
            new OffsetForLeaderEpochHandler(broker),
            new CreatePartitionsHandler(broker),
            new DescribeConfigsHandler(broker, network ?? new KafkaNetworkOptions()),
            new AlterConfigsHandler(broker),
            new DescribeLogDirsHandler(broker),
            new IncrementalAlterConfigsHandler(broker),
            new DescribeClusterHandler(broker),
            new FindCoordinatorHandler(broker),
            new JoinGroupHandler(broker),
            new SyncGroupHandler(broker),
            new HeartbeatHandler(broker),
            new LeaveGroupHandler(broker),
            new OffsetCommitHandler(broker),
            new OffsetFetchHandler(broker),
            new ListGroupsHandler(broker),
            new DescribeGroupsHandler(broker),
            new DeleteGroupsHandler(broker),
            new OffsetDeleteHandler(broker),
            new ConsumerGroupHeartbeatHandler(broker),
            new ConsumerGroupDescribeHandler(broker),
            new DescribeProducersHandler(broker),
            new AddPartitionsToTxnHandler(broker),
            new AddOffsetsToTxnHandler(broker),
            new EndTxnHandler(broker),
            new TxnOffsetCommitHandler(broker),
            new DescribeTransactionsHandler(broker),
            new ListTransactionsHandler(broker),
            new WriteTxnMarkersHandler(broker),
        };
        ApiHandlerRegistry? self = null;
        registry.Add(new ApiVersionsHandler(() => self!));
        self = new ApiHandlerRegistry(registry);
        return self;
    }

    public IApiHandler? Find(short apiKey) => (uint)apiKey < (uint)_byKey.Length ? _byKey[apiKey] : null;

    /// <summary>The registered handlers in key order.</summary>
    public IEnumerable<IApiHandler> All
    {
        get
        {
            foreach (IApiHandler? handler in _byKey)
            {
                if (handler is not null)
                {
                    yield return handler;
                }
            }
        }
    }
}
