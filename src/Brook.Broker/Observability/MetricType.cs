namespace Brook.Broker.Observability;

/// <summary>The kinds of metric the registry holds, as Prometheus names them.</summary>
public enum MetricType
{
    Counter,
    Gauge,
    Histogram,
}
