using System.Collections.Concurrent;

namespace Brook.Broker.Observability;

/// <summary>
/// Metrics of one name that differ by label values, e.g. <c>brook_requests_total{api="Fetch"}</c>.
/// The renderer walks <see cref="MetricFamily.Children"/> without knowing the metric type's class.
/// </summary>
public abstract class MetricFamily
{
    private protected MetricFamily(string name, string help, MetricType type, string[] labelNames)
    {
        Name = name;
        Help = help;
        Type = type;
        LabelNames = labelNames;
    }

    public string Name { get; }

    public string Help { get; }

    public MetricType Type { get; }

    public IReadOnlyList<string> LabelNames { get; }

    /// <summary>Every child as (label values, metric), sorted by label values so output is stable.</summary>
    public abstract IReadOnlyList<KeyValuePair<string[], object>> Children();
}

/// <summary>A family whose children are <typeparamref name="TMetric"/>.</summary>
public sealed class MetricFamily<TMetric> : MetricFamily
    where TMetric : class
{
    private readonly ConcurrentDictionary<string[], TMetric> _children = new(LabelValuesComparer.Instance);
    private readonly Func<TMetric> _create;

    internal MetricFamily(string name, string help, MetricType type, string[] labelNames, Func<TMetric> create)
        : base(name, help, type, labelNames)
    {
        _create = create;
    }

    /// <summary>
    /// The child with these label values, created on first use. The lookup allocates, so callers on
    /// a hot path keep the child they get (per API key, per partition) instead of asking again.
    /// </summary>
    public TMetric WithLabels(params string[] labelValues)
    {
        if (labelValues.Length != LabelNames.Count)
        {
            throw new ArgumentException($"{Name} has {LabelNames.Count} labels, got {labelValues.Length} values", nameof(labelValues));
        }
        if (_children.TryGetValue(labelValues, out TMetric? existing))
        {
            return existing;
        }
        return _children.GetOrAdd((string[])labelValues.Clone(), _ => _create());
    }

    /// <summary>Drops a child (a deleted topic's partition, say).</summary>
    public bool Remove(params string[] labelValues) => _children.TryRemove(labelValues, out _);

    public override IReadOnlyList<KeyValuePair<string[], object>> Children()
    {
        var list = new List<KeyValuePair<string[], object>>(_children.Count);
        foreach (var child in _children)
        {
            list.Add(new KeyValuePair<string[], object>(child.Key, child.Value));
        }
        list.Sort(static (a, b) => LabelValuesComparer.Instance.Compare(a.Key, b.Key));
        return list;
    }
}
