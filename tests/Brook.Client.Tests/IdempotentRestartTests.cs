using System.Text;
using Brook.Client.Admin;
using Brook.Client.Consuming;
using Brook.Client.Producing;
using Brook.Client.Tests.Support;

namespace Brook.Client.Tests;

public sealed class IdempotentRestartTests
{
    [Fact]
    public async Task A_broker_restart_while_producing_neither_loses_nor_duplicates_acknowledged_records()
    {
        const int rounds = 20;
        const int perRound = 250;
        await using var broker = await EmbeddedBroker.StartAsync();
        await using (var admin = new KafkaAdminClient(broker.ClientOptions()))
        {
            await admin.CreateTopicAsync(new NewTopic("durable", 4));
        }

        var sends = new List<Task<DeliveryReport>>(rounds * perRound);
        await using (var producer = new KafkaProducer(new ProducerOptions { BootstrapServers = broker.BootstrapServers }))
        {
            for (int round = 0; round < rounds; round++)
            {
                int first = sends.Count;
                for (int i = 0; i < perRound; i++)
                {
                    if (round == rounds / 2 && i == perRound / 2)
                    {
                        // Half of this round is in the producer (some of it in flight) as the broker goes away;
                        // the other half is produced while it is down, so sends fail and must be retried.
                        await broker.StopAsync();
                        Enqueue(producer, sends);
                        await Eventually.True(() => producer.RetriedBatches > 0, "a batch failed against the stopped broker");
                        await broker.StartAgainAsync();
                        continue;
                    }
                    Enqueue(producer, sends);
                }
                await sends[first];
            }
            await producer.FlushAsync();
        }
        DeliveryReport[] reports = await Task.WhenAll(sends);

        await using var consumer = new KafkaConsumer(new ConsumerOptions { BootstrapServers = broker.BootstrapServers, AutoOffsetReset = AutoOffsetReset.Earliest });
        consumer.Assign(Enumerable.Range(0, 4).Select(p => new TopicPartition("durable", p)));
        List<ConsumeResult> consumed = await Consume.AtLeastAsync(consumer, sends.Count);
        // Anything beyond the acknowledged count would be a duplicate: one more poll must bring nothing.
        consumed.AddRange(await consumer.PollAsync());

        Assert.Equal(sends.Count, consumed.Count);
        var values = consumed.Select(r => Encoding.UTF8.GetString(r.Value!)).ToHashSet();
        Assert.Equal(sends.Count, values.Count);
        Assert.Equal(rounds * perRound, sends.Count);
        var byPosition = consumed.ToDictionary(r => (r.Partition, r.Offset));
        for (int n = 0; n < reports.Length; n++)
        {
            Assert.Equal($"v{n}", Encoding.UTF8.GetString(byPosition[(reports[n].Partition, reports[n].Offset)].Value!));
        }
    }

    private static void Enqueue(KafkaProducer producer, List<Task<DeliveryReport>> sends)
    {
        int n = sends.Count;
        sends.Add(producer.ProduceAsync("durable", Encoding.UTF8.GetBytes($"k{n % 37}"), Encoding.UTF8.GetBytes($"v{n}")));
    }
}
