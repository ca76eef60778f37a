using System.Buffers.Binary;
using System.Text;
using Brook.Client.Admin;
using Brook.Client.Consuming;
using Brook.Client.Producing;
using Brook.Client.Tests.Support;
using Brook.Protocol.Records;

namespace Brook.Client.Tests;

public sealed class ProduceConsumeTests
{
    private const long BaseTimestamp = 1_700_000_000_000;

    [Theory]
    [InlineData(CompressionType.None)]
    [InlineData(CompressionType.Gzip)]
    [InlineData(CompressionType.Snappy)]
    [InlineData(CompressionType.Lz4)]
    [InlineData(CompressionType.Zstd)]
    public async Task Every_acknowledged_record_comes_back_exactly_once_in_order_per_partition(CompressionType codec)
    {
        const int count = 10_000;
        await using var broker = await EmbeddedBroker.StartAsync();
        await using (var admin = new KafkaAdminClient(broker.ClientOptions()))
        {
            await admin.CreateTopicAsync(new NewTopic("events", 4));
        }

        var reports = new DeliveryReport[count];
        await using (var producer = new KafkaProducer(new ProducerOptions { BootstrapServers = broker.BootstrapServers, Compression = codec }))
        {
            var sends = new Task<DeliveryReport>[count];
            byte[] headerKey = "n"u8.ToArray();
            for (int i = 0; i < count; i++)
            {
                byte[] index = new byte[4];
                BinaryPrimitives.WriteInt32BigEndian(index, i);
                sends[i] = producer.ProduceAsync("events", Key(i), Value(i), [new RecordHeaderData(headerKey, index)], timestampMs: BaseTimestamp + i);
            }
            reports = await Task.WhenAll(sends);
        }

        await using var consumer = new KafkaConsumer(new ConsumerOptions { BootstrapServers = broker.BootstrapServers, AutoOffsetReset = AutoOffsetReset.Earliest });
        consumer.Assign(Enumerable.Range(0, 4).Select(p => new TopicPartition("events", p)));
        List<ConsumeResult> consumed = await Consume.AtLeastAsync(consumer, count);

        Assert.Equal(count, consumed.Count);
        var byPosition = consumed.ToDictionary(r => (r.Partition, r.Offset));
        for (int i = 0; i < count; i++)
        {
            ConsumeResult record = byPosition[(reports[i].Partition, reports[i].Offset)];
            Assert.Equal(Key(i), record.Key);
            Assert.Equal(Value(i), record.Value);
            Assert.Equal(BaseTimestamp + i, record.Timestamp);
            ConsumedHeader header = Assert.Single(record.Headers);
            Assert.Equal("n", header.Key);
            Assert.Equal(i, BinaryPrimitives.ReadInt32BigEndian(header.Value));
        }
        foreach (IGrouping<int, ConsumeResult> partition in consumed.GroupBy(r => r.Partition))
        {
            long[] offsets = [.. partition.Select(r => r.Offset)];
            Assert.Equal(Enumerable.Range(0, offsets.Length).Select(o => (long)o), offsets);
            int[] produced = [.. partition.Select(r => BinaryPrimitives.ReadInt32BigEndian(r.Headers[0].Value))];
            Assert.Equal(produced.Order(), produced);
        }
        Assert.All(consumed.GroupBy(r => Encoding.UTF8.GetString(r.Key!)), sameKey => Assert.Single(sameKey.Select(r => r.Partition).Distinct()));
    }

    [Fact]
    public async Task Fire_and_forget_records_report_through_the_callback_and_flush_waits_for_them()
    {
        await using var broker = await EmbeddedBroker.StartAsync();
        await using var producer = new KafkaProducer(new ProducerOptions { BootstrapServers = broker.BootstrapServers });
        int delivered = 0;
        int failed = 0;
        DeliveryHandler handler = (in DeliveryReport report, Exception? error) =>
        {
            if (error is null && report.Offset >= 0)
            {
                Interlocked.Increment(ref delivered);
            }
            else
            {
                Interlocked.Increment(ref failed);
            }
        };

        for (int i = 0; i < 1000; i++)
        {
            producer.Produce("callbacks", null, Value(i), handler);
        }
        await producer.FlushAsync();

        Assert.Equal(1000, Volatile.Read(ref delivered));
        Assert.Equal(0, Volatile.Read(ref failed));
    }

    [Fact]
    public async Task Acks_zero_records_arrive_without_offsets_in_their_reports()
    {
        await using var broker = await EmbeddedBroker.StartAsync();
        DeliveryReport report;
        await using (var producer = new KafkaProducer(new ProducerOptions { BootstrapServers = broker.BootstrapServers, Acks = Acks.None }))
        {
            report = await producer.ProduceAsync("fast", Key(1), Value(1));
        }
        await using var consumer = new KafkaConsumer(new ConsumerOptions { BootstrapServers = broker.BootstrapServers, AutoOffsetReset = AutoOffsetReset.Earliest });
        consumer.Assign([new TopicPartition("fast", 0)]);

        ConsumeResult record = Assert.Single(await Consume.AtLeastAsync(consumer, 1));

        Assert.Equal(-1, report.Offset);
        Assert.Equal(Value(1), record.Value);
    }

    [Fact]
    public async Task Producing_to_and_consuming_from_a_partition_added_later_refreshes_metadata()
    {
        await using var broker = await EmbeddedBroker.StartAsync();
        await using var admin = new KafkaAdminClient(broker.ClientOptions());
        await admin.CreateTopicAsync(new NewTopic("growing", 1));
        await using var producer = new KafkaProducer(new ProducerOptions { BootstrapServers = broker.BootstrapServers });
        await producer.ProduceAsync("growing", Key(0), Value(0));
        await using var consumer = new KafkaConsumer(new ConsumerOptions { BootstrapServers = broker.BootstrapServers, AutoOffsetReset = AutoOffsetReset.Earliest });
        consumer.Assign([new TopicPartition("growing", 0)]);
        await Consume.AtLeastAsync(consumer, 1); // both clients now cache a one-partition topic

        await admin.CreatePartitionsAsync("growing", 3);
        DeliveryReport report = await producer.ProduceAsync("growing", Key(1), Value(1), partition: 2);
        consumer.Assign([new TopicPartition("growing", 2)]);
        ConsumeResult consumed = Assert.Single(await Consume.AtLeastAsync(consumer, 1));

        Assert.Equal(2, report.Partition);
        Assert.Equal(0, report.Offset);
        Assert.Equal(3, (await producer.Cluster.GetTopicAsync("growing")).PartitionCount);
        Assert.Equal(2, consumed.Partition);
        Assert.Equal(Value(1), consumed.Value);
    }

    [Fact]
    public async Task Seeking_by_timestamp_and_to_the_end_positions_the_consumer()
    {
        await using var broker = await EmbeddedBroker.StartAsync();
        await using (var producer = new KafkaProducer(new ProducerOptions { BootstrapServers = broker.BootstrapServers }))
        {
            for (int i = 0; i < 10; i++)
            {
                await producer.ProduceAsync("timed", null, Value(i), partition: 0, timestampMs: BaseTimestamp + (i * 1000));
            }
        }
        var partition = new TopicPartition("timed", 0);
        await using var consumer = new KafkaConsumer(new ConsumerOptions { BootstrapServers = broker.BootstrapServers });
        consumer.Assign([partition]);

        consumer.SeekToTimestamp(partition, BaseTimestamp + 6500);
        ConsumeResult first = (await Consume.AtLeastAsync(consumer, 3))[0];
        consumer.SeekToEnd(partition);
        IReadOnlyList<ConsumeResult> atEnd = await consumer.PollAsync();

        Assert.Equal(7, first.Offset);
        Assert.Equal(Value(7), first.Value);
        Assert.Empty(atEnd);
        Assert.Equal(10, consumer.Position(partition));
    }

    [Fact]
    public async Task An_out_of_range_position_resets_by_policy_or_fails_when_the_policy_is_error()
    {
        await using var broker = await EmbeddedBroker.StartAsync();
        await using (var producer = new KafkaProducer(new ProducerOptions { BootstrapServers = broker.BootstrapServers }))
        {
            await producer.ProduceAsync("ranged", null, Value(0), partition: 0);
        }
        var partition = new TopicPartition("ranged", 0);
        await using var strict = new KafkaConsumer(new ConsumerOptions { BootstrapServers = broker.BootstrapServers, AutoOffsetReset = AutoOffsetReset.Error });
        strict.Assign([partition]);
        strict.Seek(partition, 50);
        await using var lenient = new KafkaConsumer(new ConsumerOptions { BootstrapServers = broker.BootstrapServers, AutoOffsetReset = AutoOffsetReset.Earliest });
        lenient.Assign([partition]);
        lenient.Seek(partition, 50);

        await Assert.ThrowsAsync<OffsetOutOfRangeException>(() => strict.PollAsync());
        ConsumeResult record = Assert.Single(await Consume.AtLeastAsync(lenient, 1));

        Assert.Equal(0, record.Offset);
    }

    [Fact]
    public async Task Deleted_records_move_the_earliest_offset()
    {
        await using var broker = await EmbeddedBroker.StartAsync();
        await using (var producer = new KafkaProducer(new ProducerOptions { BootstrapServers = broker.BootstrapServers }))
        {
            for (int i = 0; i < 5; i++)
            {
                await producer.ProduceAsync("trimmed", null, Value(i), partition: 0);
            }
        }
        await using var admin = new KafkaAdminClient(broker.ClientOptions());
        var partition = new TopicPartition("trimmed", 0);

        var low = await admin.DeleteRecordsAsync([new(partition, 3)]);
        var offsets = await admin.ListOffsetsAsync([new(partition, OffsetSpec.Earliest)]);

        Assert.Equal(3, low[partition]);
        Assert.Equal(3, offsets[partition].Offset);
    }

    internal static byte[] Key(int i) => Encoding.UTF8.GetBytes($"key-{i % 100}");

    internal static byte[] Value(int i) => Encoding.UTF8.GetBytes($"value-{i}-{new string('x', i % 50)}");
}
