using System.Text.Json;
using Brook.Interop.Tests.Support;

namespace Brook.Interop.Tests;

/// <summary>kafkajs 2.2.4 under node, installed into tests/interop/node by test.sh.</summary>
public sealed class KafkajsTests
{
    [Fact]
    public async Task Kafkajs_admin_and_idempotent_producer_see_the_offsets_they_wrote()
    {
        Assert.True(Directory.Exists(InteropPaths.Script("node", "node_modules", "kafkajs")), "kafkajs is not installed: run test.sh (npm install in tests/interop/node)");
        await using var broker = await EmbeddedBroker.StartAsync(o =>
        {
            o.Broker.AutoCreateTopics = false;
            o.Broker.DefaultPartitions = 4;
        });

        ProcessResult result = await ChildProcess.RunAsync(InteropPaths.Node, [InteropPaths.Script("node", "produce-admin.js"), broker.Bootstrap, "kafkajs", "100"]);

        JsonElement output = RecordChecks.ParseJson(result);
        Assert.True(output.GetProperty("created").GetBoolean());
        Assert.Equal(2, output.GetProperty("partitions").GetInt32());
        Assert.All(output.GetProperty("acks").EnumerateArray(), ack => Assert.Equal(0, ack.GetProperty("errorCode").GetInt32()));
        Assert.All(output.GetProperty("offsets").EnumerateArray(), partition =>
        {
            Assert.Equal("50", partition.GetProperty("high").GetString());
            Assert.Equal("0", partition.GetProperty("low").GetString());
        });
        Assert.True(output.GetProperty("deleted").GetBoolean());
        // The broker's configs under Kafka's names: one set at start-up (source 4), one left at Kafka's default (5).
        JsonElement configs = output.GetProperty("brokerConfigs");
        Assert.Equal(("4", 4, true), (configs.GetProperty("num.partitions").GetProperty("value").GetString(),
            configs.GetProperty("num.partitions").GetProperty("source").GetInt32(), configs.GetProperty("num.partitions").GetProperty("readOnly").GetBoolean()));
        Assert.Equal(("1048588", 5), (configs.GetProperty("message.max.bytes").GetProperty("value").GetString(),
            configs.GetProperty("message.max.bytes").GetProperty("source").GetInt32()));
    }
}
