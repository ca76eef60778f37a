namespace Brook.Broker.Observability;

/// <summary>
/// The metrics of one server, in registration order. Components register their families once and
/// keep the returned objects; the admin HTTP endpoint renders <see cref="Families"/>. Values that
/// mirror live state (log end offsets, partition sizes) are set by collectors run at scrape time.
/// </summary>
public sealed class MetricRegistry
{
    private readonly Lock _lock = new();
    private readonly List<MetricFamily> _families = [];
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private Action[] _collectors = [];

    /// <summary>A snapshot of the registered families, taken after every collector has run.</summary>
    public IReadOnlyList<MetricFamily> Families
    {
        get
        {
            foreach (Action collect in Volatile.Read(ref _collectors))
            {
                collect();
            }
            lock (_lock)
            {
                return [.. _families];
            }
        }
    }

    /// <summary>Adds a callback that refreshes gauges from live state before each scrape.</summary>
    public void AddCollector(Action collect)
    {
        ArgumentNullException.ThrowIfNull(collect);
        lock (_lock)
        {
            _collectors = [.. _collectors, collect];
        }
    }

    public MetricFamily<Counter> CounterFamily(string name, string help, params string[] labelNames) =>
        Register(new MetricFamily<Counter>(name, help, MetricType.Counter, labelNames, static () => new Counter()));

    public MetricFamily<Gauge> GaugeFamily(string name, string help, params string[] labelNames) =>
        Register(new MetricFamily<Gauge>(name, help, MetricType.Gauge, labelNames, static () => new Gauge()));

    public MetricFamily<Histogram> HistogramFamily(string name, string help, double[] upperBounds, params string[] labelNames)
    {
        for (int i = 1; i < upperBounds.Length; i++)
        {
            if (!(upperBounds[i] > upperBounds[i - 1]))
            {
                throw new ArgumentException("bucket upper bounds must be ascending", nameof(upperBounds));
            }
        }
        double[] bounds = (double[])upperBounds.Clone();
        return Register(new MetricFamily<Histogram>(name, help, MetricType.Histogram, labelNames, () => new Histogram(bounds)));
    }

    /// <summary>A counter without labels.</summary>
    public Counter Counter(string name, string help) => CounterFamily(name, help).WithLabels();

    /// <summary>A gauge without labels.</summary>
    public Gauge Gauge(string name, string help) => GaugeFamily(name, help).WithLabels();

    private T Register<T>(T family)
        where T : MetricFamily
    {
        if (!IsValidName(family.Name, allowColon: true))
        {
            throw new ArgumentException($"'{family.Name}' is not a valid metric name", nameof(family));
        }
        foreach (string label in family.LabelNames)
        {
            if (!IsValidName(label, allowColon: false) || label == "le")
            {
                throw new ArgumentException($"'{label}' is not a valid label name for {family.Name}", nameof(family));
            }
        }
        lock (_lock)
        {
            if (!_names.Add(family.Name))
            {
                throw new InvalidOperationException($"metric {family.Name} is registered twice");
            }
            _families.Add(family);
        }
        return family;
    }

    // Prometheus names: [a-zA-Z_:][a-zA-Z0-9_:]* for metrics, the same without ':' for labels.
    private static bool IsValidName(string name, bool allowColon)
    {
        if (name.Length == 0 || char.IsAsciiDigit(name[0]))
        {
            return false;
        }
        foreach (char c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_' || (allowColon && c == ':')))
            {
                return false;
            }
        }
        return true;
    }
}
