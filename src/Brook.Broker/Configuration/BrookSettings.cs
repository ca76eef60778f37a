using Brook.Broker.Cluster;
using Brook.Broker.Hosting;
using Brook.Broker.Network;
using Brook.Broker.Transactions;
using Microsoft.Extensions.Logging;

namespace Brook.Broker.Configuration;

/// <summary>
/// The settings of <c>brook start</c> as plain values, before they are checked and turned into
/// <see cref="BrookServerOptions"/>. <see cref="BrookSettingsLoader"/> fills them from defaults, a
/// YAML file, <c>BROOK_*</c> environment variables and flags, each overriding the one before.
/// </summary>
public sealed class BrookSettings
{
    public int NodeId { get; set; }

    public string DataDirectory { get; set; } = "./brook-data";

    public string KafkaListener { get; set; } = "127.0.0.1:9092";

    /// <summary><c>host:port</c>, or <c>none</c> for no admin HTTP listener.</summary>
    public string AdminListener { get; set; } = "127.0.0.1:9644";

    /// <summary><c>host[:port]</c> given to clients; empty for the listener's own address.</summary>
    public string AdvertiseKafkaAddress { get; set; } = "";

    public int SocketRequestMaxBytes { get; set; } = 104_857_600;

    public long ConnectionsMaxIdleMs { get; set; } = 600_000;

    public int MaxInFlightRequestsPerConnection { get; set; } = 100;

    public long MaxInFlightBytesPerConnection { get; set; } = 104_857_600;

    /// <summary>Send Fetch records from the segment files with sendfile(2) (responses written straight to the socket).</summary>
    public bool SocketSendFile { get; set; } = true;

    public long ShutdownTimeoutMs { get; set; } = 10_000;

    public LogLevel LogLevel { get; set; } = LogLevel.Information;

    public bool AutoCreateTopicsEnable { get; set; } = true;

    public int NumPartitions { get; set; } = 1;

    public int FetchMaxBytes { get; set; } = KafkaBrokerOptions.DefaultFetchMaxBytes;

    /// <summary>The group coordinator's settings (<c>group_*</c>, <c>offsets_*</c>).</summary>
    public GroupSettings Groups { get; } = new();

    public int TransactionStateLogNumPartitions { get; set; } = 50;

    public int TransactionMaxTimeoutMs { get; set; } = 900_000;

    public int LogZeroWindowBytes { get; set; } = Brook.Storage.LogOptions.DefaultZeroWindowBytes;

    public long LogZeroWindowMaxBytesPerSecond { get; set; } = Brook.Storage.LogOptions.DefaultZeroWindowMaxBytesPerSecond;

    public long TransactionalIdExpirationMs { get; set; } = 604_800_000;

    public long TransactionAbortTimedOutTransactionCleanupIntervalMs { get; set; } = 10_000;

    /// <summary>Checks the values and builds server options; throws <see cref="BrookConfigurationException"/> naming the bad one.</summary>
    public BrookServerOptions ToServerOptions()
    {
        var network = new KafkaNetworkOptions
        {
            SocketRequestMaxBytes = SocketRequestMaxBytes,
            ConnectionsMaxIdle = TimeSpan.FromMilliseconds(ConnectionsMaxIdleMs),
            MaxInFlightRequestsPerConnection = MaxInFlightRequestsPerConnection,
            MaxInFlightBytesPerConnection = MaxInFlightBytesPerConnection,
            SendFile = SocketSendFile,
        };
        Require(SocketRequestMaxBytes >= KafkaRequestFrame.HeaderStartSize, "socket_request_max_bytes", SocketRequestMaxBytes, $"must be at least {KafkaRequestFrame.HeaderStartSize}");
        Require(ConnectionsMaxIdleMs > 0, "connections_max_idle_ms", ConnectionsMaxIdleMs, "must be positive");
        Require(MaxInFlightRequestsPerConnection > 0, "max_in_flight_requests_per_connection", MaxInFlightRequestsPerConnection, "must be positive");
        Require(MaxInFlightBytesPerConnection > 0, "max_in_flight_bytes_per_connection", MaxInFlightBytesPerConnection, "must be positive");
        Require(NumPartitions > 0, "num_partitions", NumPartitions, "must be positive");
        Require(FetchMaxBytes >= 1024, "fetch_max_bytes", FetchMaxBytes, "must be at least 1024");
        Require(ShutdownTimeoutMs >= 0, "shutdown_timeout_ms", ShutdownTimeoutMs, "must not be negative");
        Require(TransactionStateLogNumPartitions > 0, "transaction_state_log_num_partitions", TransactionStateLogNumPartitions, "must be positive");
        Require(TransactionMaxTimeoutMs > 0, "transaction_max_timeout_ms", TransactionMaxTimeoutMs, "must be positive");
        Require(LogZeroWindowBytes >= 0, "log_zero_window_bytes", LogZeroWindowBytes, "must not be negative");
        Require(LogZeroWindowMaxBytesPerSecond >= 0, "log_zero_window_max_bytes_per_second", LogZeroWindowMaxBytesPerSecond, "must not be negative");
        Require(TransactionalIdExpirationMs > 0, "transactional_id_expiration_ms", TransactionalIdExpirationMs, "must be positive");
        Require(TransactionAbortTimedOutTransactionCleanupIntervalMs > 0, "transaction_abort_timed_out_transaction_cleanup_interval_ms", TransactionAbortTimedOutTransactionCleanupIntervalMs, "must be positive");
        if (string.IsNullOrWhiteSpace(DataDirectory))
        {
            throw new BrookConfigurationException("data_dir: empty");
        }
        return new BrookServerOptions
        {
            NodeId = NodeId,
            DataDirectory = DataDirectory,
            KafkaListener = ListenerAddress.ParseBindable(KafkaListener, "kafka_listener"),
            AdminListener = IsNone(AdminListener) ? null : ListenerAddress.ParseBindable(AdminListener, "admin_listener"),
            AdvertisedKafkaAddress = string.IsNullOrWhiteSpace(AdvertiseKafkaAddress) ? null : ListenerAddress.ParseAdvertised(AdvertiseKafkaAddress, "advertise_kafka_addr"),
            Network = network,
            ShutdownTimeout = TimeSpan.FromMilliseconds(ShutdownTimeoutMs),
            Broker = new KafkaBrokerOptions
            {
                AutoCreateTopics = AutoCreateTopicsEnable,
                DefaultPartitions = NumPartitions,
                FetchMaxBytes = FetchMaxBytes,
                LogZeroWindowBytes = LogZeroWindowBytes,
                LogZeroWindowMaxBytesPerSecond = LogZeroWindowMaxBytesPerSecond,
                Groups = Groups.ToOptions(),
                Transactions = new TransactionCoordinatorOptions
                {
                    StateLogPartitions = TransactionStateLogNumPartitions,
                    MaxTimeoutMs = TransactionMaxTimeoutMs,
                    IdExpiration = TimeSpan.FromMilliseconds(TransactionalIdExpirationMs),
                    AbortTimedOutInterval = TimeSpan.FromMilliseconds(TransactionAbortTimedOutTransactionCleanupIntervalMs),
                },
            },
        };
    }

    private static void Require(bool condition, string setting, long value, string rule)
    {
        if (!condition)
        {
            throw new BrookConfigurationException($"{setting}: {value} {rule}");
        }
    }

    private static bool IsNone(string value) =>
        string.IsNullOrWhiteSpace(value) || string.Equals(value.Trim(), "none", StringComparison.OrdinalIgnoreCase);
}
