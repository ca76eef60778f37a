using System.Collections.Concurrent;
using System.Globalization;

namespace Brook.Broker.Observability;

/// <summary>
/// The broker's own metrics on top of a <see cref="MetricRegistry"/>: connections, bytes, and
/// requests per API. Recording is allocation-free once a series exists: the per-API children are
/// cached in arrays indexed by API key and version. Components that add their own families
/// (per-topic bytes, log end offsets) register them on <see cref="Registry"/>.
/// </summary>
public sealed class BrokerMetrics
{
    /// <summary>Latency buckets in seconds, from half a millisecond to a long-polling Fetch.</summary>
    public static readonly double[] LatencyBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    // Versions above this share the "other" label; no Kafka API has this many.
    private const int MaxLabelledVersion = 63;
    private const string OtherVersion = "other";

    private readonly MetricFamily<Counter> _requests;
    private readonly MetricFamily<Counter> _requestErrors;
    private readonly MetricFamily<Histogram> _requestLatency;
    private readonly MetricFamily<Counter> _connectionsClosed;
    private readonly ApiSeries?[] _byApiKey = new ApiSeries?[KafkaApiNames.Count + 1];
    private readonly ConcurrentDictionary<(int Key, int Version, short Error), Counter> _errors = new();

    public BrokerMetrics(MetricRegistry registry)
    {
        Registry = registry;
        ConnectionsOpen = registry.Gauge("brook_connections_open", "Kafka connections open now.");
        ConnectionsAccepted = registry.Counter("brook_connections_accepted_total", "Kafka connections accepted.");
        _connectionsClosed = registry.CounterFamily("brook_connections_closed_total", "Kafka connections closed, by reason.", "reason");
        BytesReceived = registry.Counter("brook_network_received_bytes_total", "Bytes of Kafka requests received, size prefixes included.");
        BytesSent = registry.Counter("brook_network_sent_bytes_total", "Bytes of Kafka responses sent, size prefixes included.");
        RequestsInFlight = registry.Gauge("brook_requests_in_flight", "Kafka requests read and not yet answered.");
        _requests = registry.CounterFamily("brook_requests_total", "Kafka requests answered, by API and version.", "api", "api_version");
        _requestErrors = registry.CounterFamily("brook_request_errors_total", "Kafka requests that ended with an error code, by API, version and code.", "api", "api_version", "error_code");
        _requestLatency = registry.HistogramFamily("brook_request_latency_seconds", "Time from reading a Kafka request to writing its response, by API.", LatencyBuckets, "api");
    }

    public MetricRegistry Registry { get; }

    public Gauge ConnectionsOpen { get; }

    public Counter ConnectionsAccepted { get; }

    public Counter BytesReceived { get; }

    public Counter BytesSent { get; }

    public Gauge RequestsInFlight { get; }

    /// <summary>The counter of connections closed for <paramref name="reason"/> (a short fixed word).</summary>
    public Counter ConnectionsClosed(string reason) => _connectionsClosed.WithLabels(reason);

    /// <summary>Records one finished request: its count, its latency and, if not 0, its error code.</summary>
    public void RecordRequest(short apiKey, short apiVersion, TimeSpan elapsed, short errorCode)
    {
        ApiSeries series = SeriesFor(apiKey);
        int version = apiVersion is >= 0 and <= MaxLabelledVersion ? apiVersion : MaxLabelledVersion + 1;
        series.Requests(version).Increment();
        series.Latency.Observe(elapsed.TotalSeconds);
        if (errorCode != 0)
        {
            var key = (series.Key, version, errorCode);
            if (!_errors.TryGetValue(key, out Counter? errors))
            {
                errors = _errors.GetOrAdd(key, k => _requestErrors.WithLabels(
                    series.Name, VersionLabel(k.Version), k.Error.ToString(CultureInfo.InvariantCulture)));
            }
            errors.Increment();
        }
    }

    private ApiSeries SeriesFor(short apiKey)
    {
        int index = (uint)apiKey < (uint)KafkaApiNames.Count ? apiKey : KafkaApiNames.Count;
        ApiSeries? series = Volatile.Read(ref _byApiKey[index]);
        if (series is null)
        {
            string name = KafkaApiNames.Of((short)(index == KafkaApiNames.Count ? -1 : index));
            var created = new ApiSeries(index, name, _requests, _requestLatency.WithLabels(name));
            series = Interlocked.CompareExchange(ref _byApiKey[index], created, null) ?? created;
        }
        return series;
    }

    private static string VersionLabel(int version) =>
        version > MaxLabelledVersion ? OtherVersion : version.ToString(CultureInfo.InvariantCulture);

    /// <summary>The cached series of one API key.</summary>
    private sealed class ApiSeries
    {
        private readonly MetricFamily<Counter> _requests;
        private readonly Counter?[] _byVersion = new Counter?[MaxLabelledVersion + 2];

        public ApiSeries(int key, string name, MetricFamily<Counter> requests, Histogram latency)
        {
            Key = key;
            Name = name;
            _requests = requests;
            Latency = latency;
        }

        public int Key { get; }

        public string Name { get; }

        public Histogram Latency { get; }

        public Counter Requests(int version)
        {
            Counter? counter = Volatile.Read(ref _byVersion[version]);
            if (counter is null)
            {
                counter = _requests.WithLabels(Name, VersionLabel(version));
                Volatile.Write(ref _byVersion[version], counter);
            }
            return counter;
        }
    }
}
