using System.Text.Json;
using Brook.Interop.Tests.Support;

namespace Brook.Interop.Tests;

/// <summary>kafka-python 2.0.2 and confluent-kafka 1.7.0 (librdkafka) as separate processes.</summary>
public sealed class PythonClientTests
{
    [Fact]
    public async Task Kafka_python_creates_a_topic_produces_consumes_with_assigned_partitions_and_deletes_it()
    {
        await using var broker = await EmbeddedBroker.StartAsync(o => o.Broker.AutoCreateTopics = false);

        ProcessResult result = await ChildProcess.RunAsync(InteropPaths.Python,
            [InteropPaths.Script("python", "kafka_python_roundtrip.py"), broker.Bootstrap, "kafka-python", "300"]);

        JsonElement output = RecordChecks.ParseJson(result);
        Assert.True(output.GetProperty("created").GetBoolean());
        List<ClientRecord> acked = RecordChecks.Records(output, "acked");
        Assert.Equal(300, acked.Count);
        RecordChecks.EveryAckedRecordCameBackOnceInOrder(acked, RecordChecks.Records(output, "consumed"));
        Assert.True(output.GetProperty("deleted").GetBoolean());
    }

    [Fact]
    public async Task Confluent_kafka_idempotent_producer_records_come_back_once_in_order()
    {
        await using var broker = await EmbeddedBroker.StartAsync(o => o.Broker.AutoCreateTopics = false);
        string script = InteropPaths.Script("python", "confluent_kafka_client.py");

        JsonElement produced = RecordChecks.ParseJson(await ChildProcess.RunAsync(InteropPaths.Python, [script, broker.Bootstrap, "idempotent", "produce", "2000", "create"]));
        JsonElement consumed = RecordChecks.ParseJson(await ChildProcess.RunAsync(InteropPaths.Python, [script, broker.Bootstrap, "idempotent", "consume", "2", "2000"]));

        Assert.Equal(0, produced.GetProperty("failed").GetArrayLength());
        List<ClientRecord> acked = RecordChecks.Records(produced, "acked");
        Assert.Equal(2000, acked.Count);
        List<ClientRecord> read = RecordChecks.Records(consumed, "consumed");
        RecordChecks.EveryAckedRecordCameBackOnceInOrder(acked, read);
        Assert.Equal(2000, read.Count);
    }

    [Fact]
    public async Task Python_admin_clients_describe_alter_configs_and_add_partitions()
    {
        await using var broker = await EmbeddedBroker.StartAsync(o =>
        {
            o.Broker.AutoCreateTopics = false;
            o.Broker.DefaultPartitions = 2;
        });

        JsonElement output = RecordChecks.ParseJson(await ChildProcess.RunAsync(InteropPaths.Python,
            [InteropPaths.Script("python", "admin_configs.py"), broker.Bootstrap, "administered", "0"]));

        Assert.Equal("1234", output.GetProperty("created_retention").GetString());
        Assert.Equal("delete", output.GetProperty("cleanup_policy").GetString());
        Assert.Equal("999", output.GetProperty("altered_retention").GetString());
        // The topic's value, then the broker-wide default it would fall back to (source 1 = topic, 5 = default).
        Assert.Equal("[[\"retention.ms\",\"999\",1],[\"log.retention.ms\",\"604800000\",5]]", JsonSerializer.Serialize(output.GetProperty("retention_synonyms")));
        // Set at start-up (4 = static broker config), read-only; left alone (5 = default).
        Assert.Equal("[\"2\",4,true]", JsonSerializer.Serialize(output.GetProperty("broker_num_partitions")));
        Assert.Equal("[\"604800000\",5,true]", JsonSerializer.Serialize(output.GetProperty("broker_log_retention_ms")));
        Assert.True(output.GetProperty("broker_configs").GetInt32() >= 30);
        Assert.Equal(3, output.GetProperty("partitions").GetInt32());
    }

    [Fact]
    public async Task Confluent_kafka_sees_a_topics_compression_type_and_timestamp_bounds_applied()
    {
        await using var broker = await EmbeddedBroker.StartAsync(o => o.Broker.AutoCreateTopics = false);

        JsonElement output = RecordChecks.ParseJson(await ChildProcess.RunAsync(InteropPaths.Python,
            [InteropPaths.Script("python", "topic_rules.py"), broker.Bootstrap]));

        // Sent uncompressed, stored as zstd: every record comes back with its key, value and header.
        Assert.Equal(50, output.GetProperty("zstd_acked").GetInt32());
        Assert.Equal(50, output.GetProperty("zstd_intact").GetInt32());
        // An hour old on a topic that keeps a minute's skew: refused as Kafka refuses it.
        Assert.Equal(output.GetProperty("invalid_timestamp_code").GetInt32(), output.GetProperty("old_error").GetInt32());
        Assert.Equal(JsonValueKind.Null, output.GetProperty("fresh_error").ValueKind);
    }
}
