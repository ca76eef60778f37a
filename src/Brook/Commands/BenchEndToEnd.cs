using System.Diagnostics;
using System.Buffers.Binary;
using Brook.Cli;
using Brook.Client;
using Brook.Client.Admin;
using Brook.Client.Consuming;
using Brook.Client.Producing;

namespace Brook.Commands;

/// <summary>
/// <c>brook bench e2e</c>: a producer stamps each value with its send time; a consumer of the same
/// topic measures how long each record took to arrive.
/// </summary>
public static class BenchEndToEnd
{
    public static async Task<int> RunAsync(CliContext context)
    {
        BenchSettings bench = BenchSettings.From(context);
        if (bench.RecordSize < sizeof(long))
        {
            throw new UsageException("e2e needs --record-size of at least 8 (the send time travels in the value)");
        }
        await BenchCommands.EnsureTopicAsync(context, bench.Topic, bench.Partitions);
        int partitions = await BenchSettings.PartitionCountAsync(context, bench.Topic);
        await using var consumer = new KafkaConsumer(context.Settings.Apply(new ConsumerOptions { AutoOffsetReset = AutoOffsetReset.Latest, FetchMaxWait = TimeSpan.FromMilliseconds(100) }));
        TopicPartition[] assigned = [.. Enumerable.Range(0, partitions).Select(p => new TopicPartition(bench.Topic, p))];
        consumer.Assign(assigned);
        await using (var admin = new KafkaAdminClient(consumer.Cluster))
        {
            foreach ((TopicPartition partition, ListedOffset end) in await admin.ListOffsetsAsync(assigned.Select(p => KeyValuePair.Create(p, OffsetSpec.Latest)), context.Cancellation))
            {
                consumer.Seek(partition, end.Offset);
            }
        }
        var receiver = new LatencyHandler();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.Cancellation);
        Task consuming = Task.Run(async () =>
        {
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    await consumer.PollAsync(receiver, stop.Token);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
        });
        var tracker = new SendTracker(partitions, bench.RecordSize);
        var progress = new BenchCommands.Progress(context, "produced");
        Stopwatch clock;
        long sent;
        await using (var producer = new KafkaProducer(bench.ProducerOptions(context)))
        {
            (clock, sent) = await BenchProduce.ProduceLoopAsync(context, producer, bench, partitions, tracker, progress, stampValues: true);
            await producer.FlushAsync(context.Cancellation);
        }
        long deadline = Environment.TickCount64 + 30_000;
        while (receiver.Latency.Count < sent - tracker.Failed && Environment.TickCount64 < deadline && !consuming.IsCompleted)
        {
            await Task.Delay(10, context.Cancellation);
        }
        clock.Stop();
        await stop.CancelAsync();
        await consuming;
        progress.Done();
        BenchCommands.Report(context, "e2e", receiver.Latency.Count, receiver.Latency.Count * bench.RecordSize, clock.Elapsed, receiver.Latency, "end_to_end_latency");
        return receiver.Latency.Count == sent ? ExitCodes.Ok : ExitCodes.Error;
    }

    private sealed class LatencyHandler : IRecordHandler
    {
        public LatencyHistogram Latency { get; } = new();

        public void OnRecord(in ConsumedRecord record)
        {
            if (record.Value.Length >= sizeof(long))
            {
                long sent = BinaryPrimitives.ReadInt64LittleEndian(record.Value);
                Latency.Record((Stopwatch.GetTimestamp() - sent) * 1_000_000 / Stopwatch.Frequency);
            }
        }
    }
}
