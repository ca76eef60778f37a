using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Brook.Broker.Configuration;

/// <summary>
/// Every setting once, under one canonical name (<c>kafka_listener</c>) from which the YAML key,
/// the environment variable (<c>BROOK_KAFKA_LISTENER</c>) and the flag (<c>--kafka-listener</c>)
/// all follow, so the three sources cannot drift apart.
/// </summary>
public static class SettingKeys
{
    public const string EnvironmentPrefix = "BROOK_";

    /// <summary>One setting: its canonical name, a line of help, and how a string value is applied.</summary>
    public sealed record Key(string Name, string Help, Action<BrookSettings, string> Apply)
    {
        public string EnvironmentVariable => EnvironmentPrefix + Name.ToUpperInvariant();

        public string Flag => "--" + Name.Replace('_', '-');
    }

    public static IReadOnlyList<Key> All { get; } =
    [
        new("node_id", "this broker's node id (default 0)", (s, v) => s.NodeId = ParseInt(v, "node_id")),
        new("data_dir", "data directory (default ./brook-data)", (s, v) => s.DataDirectory = v),
        new("kafka_listener", "Kafka listener host:port (default 127.0.0.1:9092)", (s, v) => s.KafkaListener = v),
        new("admin_listener", "admin HTTP listener host:port, or none (default 127.0.0.1:9644)", (s, v) => s.AdminListener = v),
        new("advertise_kafka_addr", "host[:port] clients are told to connect to (default: the Kafka listener)", (s, v) => s.AdvertiseKafkaAddress = v),
        new("socket_request_max_bytes", "largest request frame accepted (default 104857600)", (s, v) => s.SocketRequestMaxBytes = ParseInt(v, "socket_request_max_bytes")),
        new("connections_max_idle_ms", "close connections idle this long (default 600000)", (s, v) => s.ConnectionsMaxIdleMs = ParseLong(v, "connections_max_idle_ms")),
        new("max_in_flight_requests_per_connection", "stop reading a connection holding this many requests (default 100)", (s, v) => s.MaxInFlightRequestsPerConnection = ParseInt(v, "max_in_flight_requests_per_connection")),
        new("max_in_flight_bytes_per_connection", "stop reading a connection holding this many request bytes (default 104857600)", (s, v) => s.MaxInFlightBytesPerConnection = ParseLong(v, "max_in_flight_bytes_per_connection")),
        new("socket_sendfile", "send Fetch records from the segment files with sendfile, responses straight to the socket (default true)", (s, v) => s.SocketSendFile = ParseBool(v, "socket_sendfile")),
        new("shutdown_timeout_ms", "how long shutdown waits for in-flight requests (default 10000)", (s, v) => s.ShutdownTimeoutMs = ParseLong(v, "shutdown_timeout_ms")),
        new("auto_create_topics_enable", "Metadata for an unknown topic creates it (default true)", (s, v) => s.AutoCreateTopicsEnable = ParseBool(v, "auto_create_topics_enable")),
        new("num_partitions", "partitions of auto-created topics (default 1)", (s, v) => s.NumPartitions = ParseInt(v, "num_partitions")),
        new("fetch_max_bytes", "most record bytes one Fetch response carries, whatever the client asks (default 57671680)", (s, v) => s.FetchMaxBytes = ParseInt(v, "fetch_max_bytes")),
        new("transaction_state_log_num_partitions", "partitions of __transaction_state when created (default 50)", (s, v) => s.TransactionStateLogNumPartitions = ParseInt(v, "transaction_state_log_num_partitions")),
        new("transaction_max_timeout_ms", "largest transaction.timeout.ms a producer may ask for (default 900000)", (s, v) => s.TransactionMaxTimeoutMs = ParseInt(v, "transaction_max_timeout_ms")),
        new("transactional_id_expiration_ms", "forget transactional ids idle this long (default 604800000)", (s, v) => s.TransactionalIdExpirationMs = ParseLong(v, "transactional_id_expiration_ms")),
        new("transaction_abort_timed_out_transaction_cleanup_interval_ms", "how often timed-out transactions are aborted (default 10000)", (s, v) => s.TransactionAbortTimedOutTransactionCleanupIntervalMs = ParseLong(v, "transaction_abort_timed_out_transaction_cleanup_interval_ms")),
        new("log_zero_window_bytes", "written zeros kept ahead of each active segment's appends, so fsyncs overwrite; 0 turns it off (default 4194304)", (s, v) => s.LogZeroWindowBytes = ParseInt(v, "log_zero_window_bytes")),
        new("log_zero_window_max_bytes_per_second", "partitions appending faster than this keep no zero window (default 4194304)", (s, v) => s.LogZeroWindowMaxBytesPerSecond = ParseLong(v, "log_zero_window_max_bytes_per_second")),
        new("log_level", "trace, debug, information, warning, error or none (default information)", (s, v) => s.LogLevel = ParseLogLevel(v)),
        .. GroupSettingKeys.All,
    ];

    /// <summary>
    /// The key for a YAML name, flag name or canonical name; dots and dashes count as underscores
    /// so Kafka's spelling (<c>socket.request.max.bytes</c>) works too.
    /// </summary>
    public static Key? Find(string name)
    {
        string canonical = name.Trim().TrimStart('-').Replace('.', '_').Replace('-', '_').ToLowerInvariant();
        foreach (Key key in All)
        {
            if (key.Name == canonical)
            {
                return key;
            }
        }
        return null;
    }

    internal static int ParseInt(string value, string name) =>
        int.TryParse(value.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int parsed)
            ? parsed
            : throw new BrookConfigurationException($"{name}: '{value}' is not a whole number");

    private static bool ParseBool(string value, string name) =>
        bool.TryParse(value.Trim(), out bool parsed)
            ? parsed
            : throw new BrookConfigurationException($"{name}: '{value}' is not true or false");

    internal static long ParseLong(string value, string name) =>
        long.TryParse(value.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out long parsed)
            ? parsed
            : throw new BrookConfigurationException($"{name}: '{value}' is not a whole number");

    private static LogLevel ParseLogLevel(string value) => value.Trim().ToLowerInvariant() switch
    {
        "trace" => LogLevel.Trace,
        "debug" => LogLevel.Debug,
        "info" or "information" => LogLevel.Information,
        "warn" or "warning" => LogLevel.Warning,
        "error" => LogLevel.Error,
        "critical" => LogLevel.Critical,
        "none" or "off" => LogLevel.None,
        _ => throw new BrookConfigurationException($"log_level: '{value}' is not one of trace, debug, information, warning, error, none"),
    };
}
