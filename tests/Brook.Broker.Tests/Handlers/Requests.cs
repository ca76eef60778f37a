using System.Buffers;
using System.Text;
using Brook.Protocol.Messages;
using Brook.Protocol.Records;

namespace Brook.Broker.Tests.Handlers;

/// <summary>Builders for the requests the handler tests send.</summary>
public static class Requests
{
    public static byte[] Batch(int records, long producerId = -1, short producerEpoch = -1, int baseSequence = -1,
        CompressionType compression = CompressionType.None, long timestamp = 1_700_000_000_000, int valueSize = 8)
    {
        using var builder = new RecordBatchBuilder(new RecordBatchOptions
        {
            ProducerId = producerId,
            ProducerEpoch = producerEpoch,
            BaseSequence = baseSequence,
            Compression = compression,
        });
        for (int i = 0; i < records; i++)
        {
            byte[] value = new byte[valueSize];
            Encoding.ASCII.GetBytes($"v{i}").AsSpan(0, Math.Min(valueSize, $"v{i}".Length)).CopyTo(value);
            builder.Append(timestamp + i, Encoding.ASCII.GetBytes($"k{i}"), value);
        }
        var output = new ArrayBufferWriter<byte>();
        builder.WriteTo(output);
        return output.WrittenSpan.ToArray();
    }

    public static ProduceRequest Produce(string topic, int partition, byte[] records, short acks = -1) => new()
    {
        Acks = acks,
        TimeoutMs = 10_000,
        TopicData = [new ProduceRequest.TopicProduceData { Name = topic, PartitionData = [new ProduceRequest.PartitionProduceData { Index = partition, Records = records }] }],
    };

    public static FetchRequest Fetch(string topic, int partition, long offset, int maxWaitMs = 0, int minBytes = 1) => new()
    {
        MaxWaitMs = maxWaitMs,
        MinBytes = minBytes,
        MaxBytes = 50 * 1024 * 1024,
        Topics = [new FetchRequest.FetchTopic { Topic = topic, Partitions = [new FetchRequest.FetchPartition { Partition = partition, FetchOffset = offset, PartitionMaxBytes = 1024 * 1024 }] }],
    };

    public static CreateTopicsRequest CreateTopic(string name, int partitions = 1, short replicationFactor = 1, bool validateOnly = false, params (string Name, string Value)[] configs) => new()
    {
        Topics = [new CreateTopicsRequest.CreatableTopic
        {
            Name = name,
            NumPartitions = partitions,
            ReplicationFactor = replicationFactor,
            Configs = [.. configs.Select(c => new CreateTopicsRequest.CreateableTopicConfig { Name = c.Name, Value = c.Value })],
        }],
        validateOnly = validateOnly,
    };

    public static MetadataRequest Metadata(params string[] topics) => new()
    {
        Topics = [.. topics.Select(t => new MetadataRequest.MetadataRequestTopic { Name = t })],
    };

    /// <summary>The records of every batch in a fetch response's partition, as (offset, key, value) strings.</summary>
    public static List<(long Offset, string Key, string Value)> RecordsOf(FetchResponse.PartitionData partition)
    {
        var result = new List<(long, string, string)>();
        ReadOnlySpan<byte> bytes = partition.Records is { } memory ? memory.Span : default;
        using var scratch = new Brook.Protocol.Compression.PooledBufferWriter();
        while (RecordBatch.TryRead(bytes, out RecordBatch batch) == RecordBatchError.None)
        {
            long baseOffset = batch.Header.BaseOffset;
            RecordEnumerator records = batch.GetRecords(scratch, int.MaxValue);
            while (records.MoveNext())
            {
                Brook.Protocol.Records.Record record = records.Current;
                result.Add((record.Offset(baseOffset), Encoding.ASCII.GetString(record.Key), Encoding.ASCII.GetString(record.Value).TrimEnd('\0')));
            }
            bytes = bytes[batch.Bytes.Length..];
        }
        return result;
    }
}
