using System.Net;
using Brook.Broker.Tests.Handlers;
using Brook.Http.Admin;
using Brook.Protocol.Messages;

namespace Brook.Broker.Tests.Observability;

public sealed class TopicMetricsTests
{
    [Fact]
    public async Task Produced_and_fetched_bytes_and_partition_offsets_appear_per_topic_and_partition()
    {
        await using var broker = await StartAsync();
        using var client = await broker.ConnectAsync();
        await client.CreateTopicAsync("orders", partitions: 2);
        byte[] first = Requests.Batch(3);
        byte[] second = Requests.Batch(4);
        await client.SendAsync<ProduceResponse>(Requests.Produce("orders", 1, first), 9);
        await client.SendAsync<ProduceResponse>(Requests.Produce("orders", 1, second), 9);
        await client.SendAsync<FetchResponse>(Requests.Fetch("orders", 1, 0), 12);

        string metrics = await ScrapeAsync(broker);

        long produced = first.Length + second.Length;
        Assert.Contains($"brook_topic_received_bytes_total{{topic=\"orders\"}} {produced}\n", metrics, StringComparison.Ordinal);
        Assert.Contains("brook_topic_received_records_total{topic=\"orders\"} 7\n", metrics, StringComparison.Ordinal);
        Assert.Contains($"brook_topic_sent_bytes_total{{topic=\"orders\"}} {produced}\n", metrics, StringComparison.Ordinal);
        Assert.Contains("brook_partition_log_end_offset{topic=\"orders\",partition=\"1\"} 7\n", metrics, StringComparison.Ordinal);
        Assert.Contains("brook_partition_high_watermark{topic=\"orders\",partition=\"1\"} 7\n", metrics, StringComparison.Ordinal);
        Assert.Contains("brook_partition_log_start_offset{topic=\"orders\",partition=\"1\"} 0\n", metrics, StringComparison.Ordinal);
        Assert.Contains($"brook_partition_size_bytes{{topic=\"orders\",partition=\"1\"}} {produced}\n", metrics, StringComparison.Ordinal);
        Assert.Contains("brook_partition_log_end_offset{topic=\"orders\",partition=\"0\"} 0\n", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deleting_a_topic_removes_its_series_and_a_recreated_topic_starts_from_zero()
    {
        await using var broker = await StartAsync();
        using var client = await broker.ConnectAsync();
        await client.CreateTopicAsync("gone");
        await client.CreateTopicAsync("kept");
        await client.SendAsync<ProduceResponse>(Requests.Produce("gone", 0, Requests.Batch(2)), 9);
        await client.SendAsync<ProduceResponse>(Requests.Produce("kept", 0, Requests.Batch(1)), 9);
        Assert.Contains("topic=\"gone\"", await ScrapeAsync(broker), StringComparison.Ordinal);

        await client.SendAsync<DeleteTopicsResponse>(new DeleteTopicsRequest { TopicNames = ["gone"] }, 5);
        string afterDelete = await ScrapeAsync(broker);

        Assert.DoesNotContain("topic=\"gone\"", afterDelete, StringComparison.Ordinal);
        Assert.Contains("brook_partition_log_end_offset{topic=\"kept\",partition=\"0\"} 1\n", afterDelete, StringComparison.Ordinal);

        await client.CreateTopicAsync("gone");
        byte[] again = Requests.Batch(1);
        await client.SendAsync<ProduceResponse>(Requests.Produce("gone", 0, again), 9);
        string recreated = await ScrapeAsync(broker);

        Assert.Contains($"brook_topic_received_bytes_total{{topic=\"gone\"}} {again.Length}\n", recreated, StringComparison.Ordinal);
        Assert.Contains("brook_partition_log_end_offset{topic=\"gone\",partition=\"0\"} 1\n", recreated, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_acks_all_produce_is_counted_as_a_timed_flush()
    {
        await using var broker = await StartAsync();
        using var client = await broker.ConnectAsync();
        await client.CreateTopicAsync("durable");
        long before = FlushCount(await ScrapeAsync(broker));

        for (int i = 0; i < 3; i++)
        {
            var response = await client.SendAsync<ProduceResponse>(Requests.Produce("durable", 0, Requests.Batch(2), acks: -1), 9);
            Assert.Equal(0, response.Responses[0].PartitionResponses[0].ErrorCode);
        }

        string metrics = await ScrapeAsync(broker);
        // Each acknowledged request waited for a flush pass of its own: the requests were sent one after another.
        Assert.True(FlushCount(metrics) - before >= 3, metrics);
        Assert.Contains("# TYPE brook_log_flush_seconds histogram\n", metrics, StringComparison.Ordinal);
        Assert.Contains("brook_log_flush_seconds_bucket{le=\"+Inf\"}", metrics, StringComparison.Ordinal);
    }

    private static long FlushCount(string metrics)
    {
        const string Prefix = "brook_log_flush_seconds_count ";
        int at = metrics.IndexOf("\n" + Prefix, StringComparison.Ordinal);
        Assert.True(at >= 0, metrics);
        int start = at + 1 + Prefix.Length;
        return long.Parse(metrics.AsSpan(start, metrics.IndexOf('\n', start) - start), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static Task<BrokerUnderTest> StartAsync() => BrokerUnderTest.StartAsync(o =>
    {
        o.AdminListener = new IPEndPoint(IPAddress.Loopback, 0);
        o.WithAdminApi();
    });

    private static async Task<string> ScrapeAsync(BrokerUnderTest broker)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://{broker.Server.AdminEndPoint}") };
        return await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
    }
}
