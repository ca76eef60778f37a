using Brook.Broker.Observability;
using Brook.Http.Admin;

namespace Brook.Broker.Tests.Observability;

public sealed class PrometheusTextFormatTests
{
    [Fact]
    public void A_histogram_renders_cumulative_buckets_with_sum_and_count()
    {
        var registry = new MetricRegistry();
        Histogram latency = registry.HistogramFamily("brook_test_seconds", "Test latency.", [0.1, 1], "api").WithLabels("Fetch");
        latency.Observe(0.05);
        latency.Observe(0.5);
        latency.Observe(5);

        string text = PrometheusTextFormat.Render(registry);

        Assert.Equal(
            "# HELP brook_test_seconds Test latency.\n" +
            "# TYPE brook_test_seconds histogram\n" +
            "brook_test_seconds_bucket{api=\"Fetch\",le=\"0.1\"} 1\n" +
            "brook_test_seconds_bucket{api=\"Fetch\",le=\"1\"} 2\n" +
            "brook_test_seconds_bucket{api=\"Fetch\",le=\"+Inf\"} 3\n" +
            "brook_test_seconds_sum{api=\"Fetch\"} 5.55\n" +
            "brook_test_seconds_count{api=\"Fetch\"} 3\n",
            text);
    }

    [Fact]
    public void Label_values_are_escaped_and_series_sorted()
    {
        var registry = new MetricRegistry();
        MetricFamily<Counter> bytes = registry.CounterFamily("brook_topic_bytes_total", "Bytes per topic.", "topic", "partition");
        bytes.WithLabels("b", "10").Add(3);
        bytes.WithLabels("b", "9").Add(2);
        bytes.WithLabels("a\"q\\\n", "0").Increment();

        string text = PrometheusTextFormat.Render(registry);

        Assert.EndsWith(
            "brook_topic_bytes_total{topic=\"a\\\"q\\\\\\n\",partition=\"0\"} 1\n" +
            "brook_topic_bytes_total{topic=\"b\",partition=\"9\"} 2\n" +
            "brook_topic_bytes_total{topic=\"b\",partition=\"10\"} 3\n",
            text);
    }

    [Fact]
    public void The_same_labels_give_the_same_series()
    {
        var registry = new MetricRegistry();
        MetricFamily<Gauge> sizes = registry.GaugeFamily("brook_partition_size_bytes", "Partition sizes.", "topic");

        sizes.WithLabels("t").Set(5);
        sizes.WithLabels("t").Add(1);

        Assert.Equal(6, sizes.WithLabels("t").Value);
        Assert.Single(sizes.Children());
    }

    [Fact]
    public void Registering_a_name_twice_or_a_bad_name_is_refused()
    {
        var registry = new MetricRegistry();
        registry.Counter("brook_things_total", "Things.");

        Assert.Throws<InvalidOperationException>(() => registry.Counter("brook_things_total", "Again."));
        Assert.Throws<ArgumentException>(() => registry.Counter("brook-bad", "Dash."));
        Assert.Throws<ArgumentException>(() => registry.CounterFamily("brook_ok_total", "Bad label.", "le"));
    }

    [Fact]
    public void Requests_are_recorded_per_api_version_and_error_code()
    {
        var metrics = new BrokerMetrics(new MetricRegistry());

        metrics.RecordRequest(apiKey: 1, apiVersion: 16, TimeSpan.FromMilliseconds(3), errorCode: 0);
        metrics.RecordRequest(apiKey: 1, apiVersion: 16, TimeSpan.FromMilliseconds(4), errorCode: 6);
        metrics.RecordRequest(apiKey: 999, apiVersion: 400, TimeSpan.Zero, errorCode: 35);

        string text = PrometheusTextFormat.Render(metrics.Registry);
        Assert.Contains("\nbrook_requests_total{api=\"Fetch\",api_version=\"16\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("\nbrook_request_errors_total{api=\"Fetch\",api_version=\"16\",error_code=\"6\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("\nbrook_requests_total{api=\"unknown\",api_version=\"other\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("\nbrook_request_latency_seconds_bucket{api=\"Fetch\",le=\"0.005\"} 2\n", text, StringComparison.Ordinal);
    }
}
