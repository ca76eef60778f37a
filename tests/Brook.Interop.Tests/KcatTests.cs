using System.Globalization;
using System.Text.Json;
using Brook.Interop.Tests.Support;

namespace Brook.Interop.Tests;

/// <summary>kcat (librdkafka 2.0.2) as a separate process: produce, consume and metadata.</summary>
public sealed class KcatTests
{
    private const int Count = 200;

    [Theory]
    [InlineData("none")]
    [InlineData("gzip")]
    [InlineData("snappy")]
    [InlineData("lz4")]
    [InlineData("zstd")]
    public async Task Records_produced_with_each_codec_are_consumed_back_in_order_with_keys_and_headers(string codec)
    {
        await using var broker = await EmbeddedBroker.StartAsync();
        string topic = "kcat-" + codec;
        string input = string.Concat(Enumerable.Range(0, Count).Select(i => $"key{i}:value-{codec}-{i}\n"));

        ProcessResult produced = await ChildProcess.RunAsync(InteropPaths.Kcat,
            ["-b", broker.Bootstrap, "-P", "-t", topic, "-p", "0", "-z", codec, "-K:", "-H", "origin=kcat", "-H", "codec=" + codec, "-X", "acks=all"], input);
        ProcessResult consumed = await ChildProcess.RunAsync(InteropPaths.Kcat,
            ["-b", broker.Bootstrap, "-C", "-t", topic, "-p", "0", "-o", "beginning", "-e", "-q", "-f", "%o|%k|%s|%h|%T\\n"]);

        Assert.True(produced.ExitCode == 0, produced.ToString());
        Assert.True(consumed.ExitCode == 0, consumed.ToString());
        string[] lines = consumed.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Count, lines.Length);
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        for (int i = 0; i < Count; i++)
        {
            string[] fields = lines[i].Split('|');
            Assert.Equal(i.ToString(CultureInfo.InvariantCulture), fields[0]);
            Assert.Equal($"key{i}", fields[1]);
            Assert.Equal($"value-{codec}-{i}", fields[2]);
            Assert.Equal($"origin=kcat,codec={codec}", fields[3]);
            long timestamp = long.Parse(fields[4], CultureInfo.InvariantCulture);
            Assert.InRange(timestamp, now - 600_000, now + 60_000);
        }
    }

    [Fact]
    public async Task Metadata_lists_this_broker_as_controller_and_the_topics_with_their_partitions()
    {
        await using var broker = await EmbeddedBroker.StartAsync(o => o.Broker.DefaultPartitions = 4);
        await ChildProcess.RunAsync(InteropPaths.Kcat, ["-b", broker.Bootstrap, "-P", "-t", "listed", "-p", "3"], "one\n");

        ProcessResult listed = await ChildProcess.RunAsync(InteropPaths.Kcat, ["-b", broker.Bootstrap, "-L", "-J"]);

        Assert.True(listed.ExitCode == 0, listed.ToString());
        JsonElement metadata = JsonDocument.Parse(listed.Stdout).RootElement;
        JsonElement onlyBroker = Assert.Single(metadata.GetProperty("brokers").EnumerateArray());
        Assert.Equal($"127.0.0.1:{broker.Server.KafkaEndPoint.Port}", onlyBroker.GetProperty("name").GetString());
        Assert.Equal(0, metadata.GetProperty("controllerid").GetInt32());
        JsonElement topic = Assert.Single(metadata.GetProperty("topics").EnumerateArray());
        Assert.Equal("listed", topic.GetProperty("topic").GetString());
        Assert.Equal(4, topic.GetProperty("partitions").GetArrayLength());
        Assert.All(topic.GetProperty("partitions").EnumerateArray(), p => Assert.Equal(0, p.GetProperty("leader").GetInt32()));
    }
}
