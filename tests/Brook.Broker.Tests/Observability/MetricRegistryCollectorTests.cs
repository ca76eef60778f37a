using Brook.Broker.Observability;
using Brook.Http.Admin;

namespace Brook.Broker.Tests.Observability;

public sealed class MetricRegistryCollectorTests
{
    [Fact]
    public void Collectors_refresh_gauges_before_every_render()
    {
        var registry = new MetricRegistry();
        Gauge depth = registry.Gauge("queue_depth", "Items waiting.");
        long live = 3;
        int runs = 0;
        registry.AddCollector(() =>
        {
            runs++;
            depth.Set(live);
        });

        string first = PrometheusTextFormat.Render(registry);
        live = 8;
        string second = PrometheusTextFormat.Render(registry);

        Assert.Contains("queue_depth 3\n", first, StringComparison.Ordinal);
        Assert.Contains("queue_depth 8\n", second, StringComparison.Ordinal);
        Assert.Equal(2, runs);
    }
}
