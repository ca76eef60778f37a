using Brook.Cli;
using Brook.Client;
using Brook.Client.Admin;
using Brook.Client.Consuming;
using Brook.Client.Groups;
using static Brook.Commands.TopicSelection;

namespace Brook.Commands;

/// <summary>
/// <c>brook topic consume</c>: prints records as JSON lines or by a template, following new data until
/// Ctrl-C, <c>-n</c>, or the stop given with <c>-o</c>. With <c>-g</c> it joins a consumer group
/// (classic protocol), starts from the group's committed offsets and commits what it printed.
/// </summary>
public static class ConsumeCommand
{
    private static readonly TimeSpan CommitInterval = TimeSpan.FromSeconds(5);

    public static CliCommand Create() =>
        new CliCommand("consume", "print records from topics, following new ones")
        {
            Details = "Records print as JSON lines unless --format gives a template. Consuming follows new records until Ctrl-C, -n or a stop in -o.",
        }
            .With(new CliArgument("TOPIC", "topics to read", Variadic: true))
            .With(CliOption.Value("--offset", "OFFSET", OffsetSpecs.Help, "-o") with { Default = "start" })
            .With(CliOption.Value("--num", "N", "stop after N records", "-n"))
            .With(CliOption.Value("--group", "GROUP", "consume as a member of this group (committed offsets, rebalancing)", "-g"))
            .With(new CliOption("--partitions", "only these partitions (not with -g)") { Alias = "-p", ValueName = "N,N,...", Repeatable = true })
            .With(CliOption.Value("--format", "TEMPLATE", "print records by this template instead of JSON: " + RecordTemplate.Help, "-f"))
            .With(CliOption.Flag("--read-committed", "skip records of aborted transactions and wait for open ones"))
            .With(CliOption.Flag("--pretty-print", "indent the JSON of each record"))
            .Example("brook topic consume orders -o -10 -n 10")
            .Example("brook topic consume orders -g billing --format '%k %v\\n'")
            .Example("brook topic consume orders -o @2026-11-01T00:00:00Z:2026-11-02T00:00:00Z")
            .Runs(RunAsync);

    private static async Task<int> RunAsync(CliContext context)
    {
        ConsumeOffset start = OffsetSpecs.ParseConsume(context.Arguments.Get("--offset") ?? "start", TimeProvider.System);
        long limit = context.Arguments.GetLong("--num", 0);
        string? group = context.Arguments.Get("--group");
        TemplatePart[]? template = context.Arguments.Get("--format") is { } format ? RecordTemplate.Parse(format) : null;
        if (group is not null && context.Arguments.Has("--partitions"))
        {
            throw new UsageException("-p and -g do not go together: the group assigns the partitions");
        }
        if (group is not null && start.Kind is not (StartKind.Start or StartKind.End) || group is not null && (start.StopAtEnd || start.StopTimestamp is not null))
        {
            throw new UsageException("with -g, -o can only be start or end (where to begin without committed offsets)");
        }
        ConsumerOptions options = context.Settings.Apply(new ConsumerOptions
        {
            AutoOffsetReset = start.Kind == StartKind.End ? AutoOffsetReset.Latest : AutoOffsetReset.Earliest,
            IsolationLevel = context.Arguments.Has("--read-committed") ? IsolationLevel.ReadCommitted : IsolationLevel.ReadUncommitted,
            MaxPartitionFetchBytes = 8 * 1024 * 1024,
            FetchMaxBytes = 64 * 1024 * 1024,
        });
        IReadOnlyList<string> topics = context.Arguments.Positionals;
        ClassicGroupMembership? membership = group is null ? null
            : new ClassicGroupMembership(context.Settings.Apply(new KafkaClientOptions()), new ClassicGroupOptions { GroupId = group, Topics = topics });
        await using var consumer = new KafkaConsumer(options, membership);
        var stopOffsets = new Dictionary<TopicPartition, long>();
        if (membership is not null)
        {
            membership.CurrentPositions = consumer.GetPositions;
        }
        else
        {
            await AssignAsync(context, consumer, topics, start, stopOffsets);
        }
        using var writer = new RecordWriter(template, context.Arguments.Has("--pretty-print"), limit, stopOffsets, start.StopTimestamp);
        bool bounded = start.StopAtEnd || start.StopTimestamp is not null;
        long nextCommit = Environment.TickCount64 + (long)CommitInterval.TotalMilliseconds;
        try
        {
            while (!writer.LimitReached)
            {
                if (bounded && AllFinished(consumer, writer, stopOffsets))
                {
                    break;
                }
                await consumer.PollAsync(writer, context.Cancellation);
                if (writer.Pending.Length > 0)
                {
                    await context.OutputStream.WriteAsync(writer.Pending, context.Cancellation);
                    await context.OutputStream.FlushAsync(context.Cancellation);
                    writer.ClearPending();
                }
                if (membership is not null && Environment.TickCount64 >= nextCommit)
                {
                    await consumer.CommitAsync(context.Cancellation);
                    nextCommit = Environment.TickCount64 + (long)CommitInterval.TotalMilliseconds;
                }
            }
        }
        catch (OperationCanceledException) when (context.Cancellation.IsCancellationRequested)
        {
            // Ctrl-C: a normal end of following.
        }
        if (membership is not null)
        {
            using var deadline = new CancellationTokenSource(options.RequestTimeout);
            try
            {
                await membership.CommitAsync([.. writer.Emitted], deadline.Token);
            }
            finally
            {
                await membership.DisposeAsync();
            }
        }
        return ExitCodes.Ok;
    }

    private static bool AllFinished(KafkaConsumer consumer, RecordWriter writer, Dictionary<TopicPartition, long> stopOffsets)
    {
        foreach ((TopicPartition partition, long stop) in stopOffsets)
        {
            if (!writer.Finished.Contains(partition) && (consumer.Position(partition) is not { } position || position < stop))
            {
                return false;
            }
        }
        return true;
    }

    private static async Task AssignAsync(CliContext context, KafkaConsumer consumer, IReadOnlyList<string> topics, ConsumeOffset start,
        Dictionary<TopicPartition, long> stopOffsets)
    {
        await using var admin = new KafkaAdminClient(consumer.Cluster);
        IReadOnlyList<int>? only = context.Arguments.Has("--partitions") ? ParsePartitions(context.Arguments.GetAll("--partitions")) : null;
        var partitions = new List<TopicPartition>();
        foreach (TopicDescription topic in await admin.DescribeTopicsAsync(topics, context.Cancellation))
        {
            foreach (var partition in topic.Partitions)
            {
                if (only is null || only.Contains(partition.Partition))
                {
                    partitions.Add(new TopicPartition(topic.Name, partition.Partition));
                }
            }
        }
        if (partitions.Count == 0)
        {
            throw new CliException("no partitions to consume");
        }
        consumer.Assign(partitions);
        IReadOnlyDictionary<TopicPartition, ListedOffset>? earliest = null;
        IReadOnlyDictionary<TopicPartition, ListedOffset>? latest = null;
        if (start.Kind is StartKind.AfterStart or StartKind.BeforeEnd)
        {
            earliest = await admin.ListOffsetsAsync(partitions.Select(p => KeyValuePair.Create(p, OffsetSpec.Earliest)), context.Cancellation);
        }
        if (start.Kind == StartKind.BeforeEnd || start.StopAtEnd || start.StopTimestamp is not null)
        {
            latest = await admin.ListOffsetsAsync(partitions.Select(p => KeyValuePair.Create(p, OffsetSpec.Latest)), context.Cancellation);
        }
        foreach (TopicPartition partition in partitions)
        {
            switch (start.Kind)
            {
                case StartKind.Start:
                    consumer.SeekToBeginning(partition);
                    break;
                case StartKind.End:
                    consumer.SeekToEnd(partition);
                    break;
                case StartKind.Exact:
                    consumer.Seek(partition, start.Value);
                    break;
                case StartKind.AfterStart:
                    consumer.Seek(partition, earliest![partition].Offset + start.Value);
                    break;
                case StartKind.BeforeEnd:
                    consumer.Seek(partition, Math.Max(earliest![partition].Offset, latest![partition].Offset - start.Value));
                    break;
                case StartKind.Timestamp:
                    consumer.SeekToTimestamp(partition, start.Value);
                    break;
            }
            if (latest is not null && (start.StopAtEnd || start.StopTimestamp is not null))
            {
                stopOffsets[partition] = latest[partition].Offset;
            }
        }
    }
}
