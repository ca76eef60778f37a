using System.Net;
using Brook.Broker.Tests.Support;

namespace Brook.Broker.Tests.Http;

public sealed class AdminApiTests
{
    [Fact]
    public async Task Live_and_ready_answer_200_while_the_server_runs()
    {
        await using var server = await TestServer.StartAsync(new TestDispatcher());
        using var http = new HttpClient { BaseAddress = server.AdminUri };

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/v1/status/live", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/v1/status/ready", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Unknown_paths_answer_404_and_other_methods_405()
    {
        await using var server = await TestServer.StartAsync(new TestDispatcher());
        using var http = new HttpClient { BaseAddress = server.AdminUri };

        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri("/nope", UriKind.Relative))).StatusCode);
        using var post = new StringContent("");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await http.PostAsync(new Uri("/metrics", UriKind.Relative), post)).StatusCode);
    }

    [Fact]
    public async Task Metrics_report_connections_requests_and_bytes_in_prometheus_format()
    {
        await using var server = await TestServer.StartAsync(new TestDispatcher());
        using var http = new HttpClient { BaseAddress = server.AdminUri };
        using var client = await server.ConnectAsync();
        await client.SendAsync(RawKafkaClient.Frame(18, 3, 1, [1, 2, 3]));
        await client.ReceiveResponseAsync();

        HttpResponseMessage response = await http.GetAsync(new Uri("/metrics", UriKind.Relative));
        string metrics = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("# TYPE brook_connections_open gauge", metrics, StringComparison.Ordinal);
        Assert.Contains("\nbrook_connections_open 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains("\nbrook_connections_accepted_total 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains("\nbrook_requests_total{api=\"ApiVersions\",api_version=\"3\"} 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains("\nbrook_request_latency_seconds_count{api=\"ApiVersions\"} 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains("\nbrook_network_received_bytes_total 15\n", metrics, StringComparison.Ordinal);
        Assert.Contains("\nbrook_network_sent_bytes_total 11\n", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Closed_connections_are_counted_by_reason()
    {
        await using var server = await TestServer.StartAsync(new TestDispatcher());
        using var http = new HttpClient { BaseAddress = server.AdminUri };
        using (var client = await server.ConnectAsync())
        {
            await Eventually.True(() => server.Server.OpenKafkaConnections == 1, "the connection is open");
        }
        await Eventually.True(() => server.Server.OpenKafkaConnections == 0, "the connection is closed");

        string metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Contains("\nbrook_connections_closed_total{reason=\"client\"} 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains("\nbrook_connections_open 0\n", metrics, StringComparison.Ordinal);
    }
}
