using System.Buffers;
using Brook.Protocol.Primitives;

namespace Brook.Broker.Transactions;

/// <summary>
/// Kafka's schemas of <c>__transaction_state</c>, so Kafka tooling reads Brook's records: the key is
/// TransactionLogKey v0 (transactional id); the value is TransactionLogValue, written as v0 (what
/// Kafka 3.8 writes) and read as v0 or v1 (the flexible version of Kafka 4). A null value is a
/// tombstone for an expired id.
/// </summary>
public static class TransactionLogCodec
{
    private const short KeyVersion = 0;
    private const short ValueVersion = 0;

    public static byte[] Key(string transactionalId)
    {
        var output = new ArrayBufferWriter<byte>(32);
        var writer = new KafkaWriter(output);
        writer.WriteInt16(KeyVersion);
        writer.WriteString(transactionalId, compact: false);
        return output.WrittenSpan.ToArray();
    }

    public static byte[] Value(TransactionLogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var output = new ArrayBufferWriter<byte>(64);
        var writer = new KafkaWriter(output);
        writer.WriteInt16(ValueVersion);
        writer.WriteInt64(entry.ProducerId);
        writer.WriteInt16(entry.ProducerEpoch);
        writer.WriteInt32(entry.TimeoutMs);
        writer.WriteInt8((sbyte)entry.State);
        if (entry.State == TransactionState.Empty)
        {
            writer.WriteArrayCount(-1, compact: false);
        }
        else
        {
            var byTopic = new SortedDictionary<string, List<int>>(StringComparer.Ordinal);
            foreach ((string topic, int partition) in entry.Partitions)
            {
                if (!byTopic.TryGetValue(topic, out List<int>? partitions))
                {
                    partitions = [];
                    byTopic[topic] = partitions;
                }
                partitions.Add(partition);
            }
            writer.WriteArrayCount(byTopic.Count, compact: false);
            foreach ((string topic, List<int> partitions) in byTopic)
            {
                writer.WriteString(topic, compact: false);
                writer.WriteArrayCount(partitions.Count, compact: false);
                foreach (int partition in partitions)
                {
                    writer.WriteInt32(partition);
                }
            }
        }
        writer.WriteInt64(entry.LastUpdateTimestamp);
        writer.WriteInt64(entry.StartTimestamp);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>The transactional id of a key; null when the key is not a TransactionLogKey v0.</summary>
    public static string? DecodeKey(ReadOnlySpan<byte> key)
    {
        var reader = new KafkaReader(key.ToArray());
        short version = reader.ReadInt16();
        if (reader.HasError || version != KeyVersion)
        {
            return null;
        }
        string id = reader.ReadString(compact: false);
        return reader.HasError ? null : id;
    }

    /// <summary>A value of version 0 or 1; null when malformed or of a version this broker does not know.</summary>
    public static TransactionLogEntry? DecodeValue(ReadOnlySpan<byte> value)
    {
        var reader = new KafkaReader(value.ToArray());
        short version = reader.ReadInt16();
        if (reader.HasError || version is < 0 or > 1)
        {
            return null;
        }
        bool flexible = version >= 1;
        long producerId = reader.ReadInt64();
        short epoch = reader.ReadInt16();
        int timeout = reader.ReadInt32();
        sbyte status = reader.ReadInt8();
        int topics = reader.ReadNullableArrayCount(flexible);
        if (reader.HasError || status is < 0 or > (sbyte)TransactionState.PrepareEpochFence || topics > reader.Remaining)
        {
            return null;
        }
        var partitions = new List<(string Topic, int Partition)>();
        for (int t = 0; t < topics; t++)
        {
            string topic = reader.ReadString(flexible);
            int count = reader.ReadArrayCount(flexible);
            if (reader.HasError || count < 0 || count > reader.Remaining)
            {
                return null;
            }
            for (int p = 0; p < count; p++)
            {
                partitions.Add((topic, reader.ReadInt32()));
            }
            if (flexible)
            {
                reader.SkipTaggedFields();
            }
        }
        long lastUpdate = reader.ReadInt64();
        long start = reader.ReadInt64();
        if (flexible)
        {
            reader.SkipTaggedFields();
        }
        return reader.HasError ? null : new TransactionLogEntry(producerId, epoch, timeout, (TransactionState)status, partitions, lastUpdate, start);
    }
}
