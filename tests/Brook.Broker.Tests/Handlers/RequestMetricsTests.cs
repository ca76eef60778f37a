using System.Net;
using Brook.Broker.Tests.Support;
using Brook.Http.Admin;
using Brook.Protocol.Messages;

namespace Brook.Broker.Tests.Handlers;

public sealed class RequestMetricsTests
{
    [Fact]
    public async Task Requests_and_their_kafka_error_codes_are_counted_per_api_and_version()
    {
        await using var broker = await BrokerUnderTest.StartAsync(o =>
        {
            o.AdminListener = new IPEndPoint(IPAddress.Loopback, 0);
            o.WithAdminApi();
        });
        using var client = await broker.ConnectAsync();
        await client.CreateTopicAsync("m");
        byte[] corrupt = Requests.Batch(1);
        corrupt[^1] ^= 0x5A;
        await client.SendAsync<ProduceResponse>(Requests.Produce("m", 0, Requests.Batch(1)), 9);
        await client.SendAsync<ProduceResponse>(Requests.Produce("m", 0, corrupt), 9);
        using var http = new HttpClient { BaseAddress = new Uri($"http://{broker.Server.AdminEndPoint}") };

        string metrics = "";
        await Eventually.True(() =>
        {
            metrics = http.GetStringAsync(new Uri("/metrics", UriKind.Relative)).GetAwaiter().GetResult();
            return metrics.Contains("brook_requests_total{api=\"Produce\",api_version=\"9\"} 2\n", StringComparison.Ordinal);
        }, () => "two produce requests are counted: " + metrics);

        Assert.Contains("brook_request_errors_total{api=\"Produce\",api_version=\"9\",error_code=\"2\"} 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains("brook_requests_total{api=\"CreateTopics\",api_version=\"7\"} 1\n", metrics, StringComparison.Ordinal);
    }
}
