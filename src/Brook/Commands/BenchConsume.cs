using System.Diagnostics;
using Brook.Cli;
using Brook.Client;
using Brook.Client.Admin;
using Brook.Client.Consuming;

namespace Brook.Commands;

/// <summary><c>brook bench consume</c>: reads the topic from its start up to the end as of starting (or --records).</summary>
public static class BenchConsume
{
    public static async Task<int> RunAsync(CliContext context)
    {
        BenchSettings bench = BenchSettings.From(context);
        ConsumerOptions options = context.Settings.Apply(new ConsumerOptions
        {
            AutoOffsetReset = AutoOffsetReset.Earliest,
            MaxPartitionFetchBytes = 8 * 1024 * 1024,
            FetchMaxBytes = 64 * 1024 * 1024,
        });
        await using var consumer = new KafkaConsumer(options);
        await using var admin = new KafkaAdminClient(consumer.Cluster);
        TopicDescription topic = (await admin.DescribeTopicsAsync([bench.Topic], context.Cancellation))[0];
        TopicPartition[] partitions = [.. topic.Partitions.Select(p => new TopicPartition(bench.Topic, p.Partition))];
        IReadOnlyDictionary<TopicPartition, ListedOffset> ends = await admin.ListOffsetsAsync(partitions.Select(p => KeyValuePair.Create(p, OffsetSpec.Latest)), context.Cancellation);
        consumer.Assign(partitions);
        foreach (TopicPartition partition in partitions)
        {
            consumer.SeekToBeginning(partition);
        }
        var counter = new CountingHandler();
        var progress = new BenchCommands.Progress(context, "consumed");
        long limit = bench.Records > 0 ? bench.Records : long.MaxValue;
        var clock = Stopwatch.StartNew();
        while (counter.Records < limit && !context.Cancellation.IsCancellationRequested
            && (bench.Duration == TimeSpan.Zero || clock.Elapsed < bench.Duration))
        {
            if (partitions.All(p => consumer.Position(p) is { } position && position >= ends[p].Offset))
            {
                break;
            }
            await consumer.PollAsync(counter, context.Cancellation);
            progress.Update(counter.Records, counter.Bytes);
        }
        clock.Stop();
        progress.Done();
        BenchCommands.Report(context, "consume", counter.Records, counter.Bytes, clock.Elapsed, null, "");
        return ExitCodes.Ok;
    }

    /// <summary>Counts records and their key and value bytes.</summary>
    private sealed class CountingHandler : IRecordHandler
    {
        public long Records { get; private set; }

        public long Bytes { get; private set; }

        public void OnRecord(in ConsumedRecord record)
        {
            Records++;
            Bytes += record.Key.Length + record.Value.Length;
        }
    }
}
