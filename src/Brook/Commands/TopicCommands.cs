using Brook.Cli;
using Brook.Client;
using Brook.Client.Admin;
using Brook.Client.Connections;
using Brook.Protocol.Errors;
using static Brook.Commands.TopicSelection;

namespace Brook.Commands;

/// <summary><c>brook topic ...</c>: create, list, describe, delete and change topics; produce and consume.</summary>
public static class TopicCommands
{
    public static CliCommand Create()
    {
        var topic = new CliCommand("topic", "create, list, describe, change, produce to and consume from topics");
        topic.Add(new CliCommand("create", "create topics")
            .With(new CliArgument("TOPIC", "names of the topics to create", Variadic: true))
            .With(CliOption.Value("--partitions", "N", "partitions per topic (default: the broker's num.partitions)", "-p"))
            .With(CliOption.Value("--replicas", "N", "replication factor (default: the broker's)", "-r"))
            .With(new CliOption("--config", "a topic config") { Alias = "-c", ValueName = "KEY=VALUE", Repeatable = true })
            .With(CliOption.Flag("--if-not-exists", "succeed when a topic already exists"))
            .With(Output.FormatOption)
            .Example("brook topic create orders -p 6 -c retention.ms=86400000")
            .Runs(CreateAsync));
        topic.Add(new CliCommand("list", "list topics with their partition and replica counts")
            .With(new CliArgument("TOPIC", "names, or regular expressions with -r (default: all)", Required: false, Variadic: true))
            .With(RegexOption)
            .With(CliOption.Flag("--internal", "include internal topics (__consumer_offsets, ...)", "-i"))
            .With(Output.FormatOption)
            .Example("brook topic list -r 'orders.*' --format json")
            .Runs(ListAsync));
        topic.Add(new CliCommand("describe", "show a topic's configs and partitions (leader, replicas, offsets)")
            .With(new CliArgument("TOPIC", "names, or regular expressions with -r", Variadic: true))
            .With(RegexOption)
            .With(Output.FormatOption)
            .Runs(TopicDescribeCommand.RunAsync));
        topic.Add(new CliCommand("delete", "delete topics")
            .With(new CliArgument("TOPIC", "names, or regular expressions with -r", Variadic: true))
            .With(RegexOption)
            .With(Output.FormatOption)
            .Example("brook topic delete -r 'tmp-.*'")
            .Runs(DeleteAsync));
        topic.Add(new CliCommand("alter-config", "set or remove a topic's config overrides")
            .With(new CliArgument("TOPIC", "the topic"))
            .With(new CliOption("--set", "set a config") { Alias = "-s", ValueName = "KEY=VALUE", Repeatable = true })
            .With(new CliOption("--delete", "remove an override (back to the default)") { Alias = "-d", ValueName = "KEY", Repeatable = true })
            .Example("brook topic alter-config orders --set retention.ms=3600000 --delete cleanup.policy")
            .Runs(AlterConfigAsync));
        topic.Add(new CliCommand("add-partitions", "add partitions to a topic")
            .With(new CliArgument("TOPIC", "the topic"))
            .With(CliOption.Value("--num", "N", "how many partitions to add", "-n"))
            .Runs(AddPartitionsAsync));
        topic.Add(new CliCommand("trim-prefix", "delete the records before an offset (DeleteRecords)")
            .With(new CliArgument("TOPIC", "the topic"))
            .With(CliOption.Value("--offset", "OFFSET", "delete before this offset: N, end, or @TIMESTAMP (ms or ISO 8601)", "-o"))
            .With(new CliOption("--partitions", "only these partitions (default: all)") { Alias = "-p", ValueName = "N,N,...", Repeatable = true })
            .With(Output.FormatOption)
            .Example("brook topic trim-prefix orders -o 1000 -p 0")
            .Runs(TrimPrefixAsync));
        topic.Add(ProduceCommand.Create());
        topic.Add(ConsumeCommand.Create());
        return topic;
    }

    private static async Task<int> CreateAsync(CliContext context)
    {
        int partitions = context.Arguments.GetInt("--partitions", -1);
        short replicas = (short)context.Arguments.GetInt("--replicas", -1);
        var configs = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach ((string key, string value) in context.Arguments.GetPairs("--config"))
        {
            configs[key] = value;
        }
        bool ifNotExists = context.Arguments.Has("--if-not-exists");
        await using KafkaAdminClient admin = context.CreateAdmin();
        IReadOnlyList<CreatedTopic> created = await admin.CreateTopicsAsync(
            context.Arguments.Positionals.Select(name => new NewTopic(name, partitions, replicas) { Configs = configs }), cancellationToken: context.Cancellation);
        bool failed = false;
        var rows = new List<Dictionary<string, object?>>();
        var table = new TextTable("TOPIC", "STATUS");
        foreach (CreatedTopic topic in created)
        {
            bool existed = topic.Error == ErrorCode.TopicAlreadyExists;
            bool ok = topic.Error == ErrorCode.None || (existed && ifNotExists);
            failed |= !ok;
            string status = topic.Error == ErrorCode.None ? "created" : existed && ifNotExists ? "exists" : Describe(topic.Error, topic.ErrorMessage);
            table.Add(topic.Name, ok ? status : context.Paint(status, "31"));
            rows.Add(Output.Map(("topic", topic.Name), ("status", topic.Error == ErrorCode.None ? "created" : existed && ifNotExists ? "exists" : "failed"),
                ("partitions", topic.Partitions), ("replicas", (int)topic.ReplicationFactor), ("error", ok ? null : Describe(topic.Error, topic.ErrorMessage))));
        }
        Output.Write(context, rows, _ => table.Write(context));
        return failed ? ExitCodes.Error : ExitCodes.Ok;
    }

    private static async Task<int> ListAsync(CliContext context)
    {
        await using KafkaAdminClient admin = context.CreateAdmin();
        bool includeInternal = context.Arguments.Has("--internal");
        IReadOnlyList<string> names = context.Arguments.Positionals.Count == 0
            ? await admin.ListTopicsAsync(includeInternal, context.Cancellation)
            : await SelectAsync(context, admin, includeInternal);
        IReadOnlyList<TopicDescription> topics = names.Count == 0 ? [] : await admin.DescribeTopicsAsync(names, context.Cancellation);
        var rows = topics.Select(t => Output.Map(("name", t.Name), ("partitions", t.Partitions.Count), ("replicas", t.ReplicationFactor),
            ("internal", t.IsInternal))).ToList();
        Output.Write(context, rows, _ =>
        {
            var table = new TextTable("NAME", "PARTITIONS", "REPLICAS");
            foreach (TopicDescription topic in topics)
            {
                table.Add(topic.Name, Text(topic.Partitions.Count), Text(topic.ReplicationFactor));
            }
            table.Write(context);
        });
        return ExitCodes.Ok;
    }

    private static async Task<int> DeleteAsync(CliContext context)
    {
        await using KafkaAdminClient admin = context.CreateAdmin();
        IReadOnlyList<string> names = await SelectAsync(context, admin);
        IReadOnlyList<TopicResult> results = names.Count == 0 ? [] : await admin.DeleteTopicsAsync(names, context.Cancellation);
        var rows = results.Select(r => Output.Map(("topic", r.Name), ("status", r.Succeeded ? "deleted" : "failed"),
            ("error", r.Succeeded ? null : Describe(r.Error, r.ErrorMessage)))).ToList();
        Output.Write(context, rows, _ =>
        {
            var table = new TextTable("TOPIC", "STATUS");
            foreach (TopicResult result in results)
            {
                table.Add(result.Name, result.Succeeded ? "deleted" : context.Paint(Describe(result.Error, result.ErrorMessage), "31"));
            }
            table.Write(context);
        });
        return results.All(r => r.Succeeded) ? ExitCodes.Ok : ExitCodes.Error;
    }

    private static async Task<int> AlterConfigAsync(CliContext context)
    {
        string topic = context.Argument(0)!;
        var changes = context.Arguments.GetPairs("--set").Select(p => new ConfigChange(p.Key, p.Value))
            .Concat(context.Arguments.GetAll("--delete").Select(k => new ConfigChange(k, null, ConfigOperation.Delete)))
            .ToArray();
        if (changes.Length == 0)
        {
            throw new UsageException("nothing to change: give --set KEY=VALUE or --delete KEY");
        }
        await using KafkaAdminClient admin = context.CreateAdmin();
        await admin.AlterConfigsAsync(new ConfigResource(ConfigResourceType.Topic, topic), changes, context.Cancellation);
        foreach (ConfigChange change in changes)
        {
            await context.Out.WriteLineAsync(change.Operation == ConfigOperation.Delete ? $"{topic}: {change.Name} reset to default" : $"{topic}: {change.Name}={change.Value}");
        }
        return ExitCodes.Ok;
    }

    private static async Task<int> AddPartitionsAsync(CliContext context)
    {
        string topic = context.Argument(0)!;
        int add = context.Arguments.GetInt("--num", 0);
        if (add <= 0)
        {
            throw new UsageException("--num must be a positive number of partitions to add");
        }
        await using KafkaAdminClient admin = context.CreateAdmin();
        int current = (await admin.DescribeTopicsAsync([topic], context.Cancellation))[0].Partitions.Count;
        await admin.CreatePartitionsAsync(topic, current + add, context.Cancellation);
        await context.Out.WriteLineAsync($"{topic}: {current} -> {current + add} partitions");
        return ExitCodes.Ok;
    }

    private static async Task<int> TrimPrefixAsync(CliContext context)
    {
        string topic = context.Argument(0)!;
        string offsetText = context.Arguments.Get("--offset") ?? throw new UsageException("--offset is required (N, end or @TIMESTAMP)");
        await using KafkaAdminClient admin = context.CreateAdmin();
        TopicDescription description = (await admin.DescribeTopicsAsync([topic], context.Cancellation))[0];
        IReadOnlyList<int> chosen = context.Arguments.Has("--partitions")
            ? ParsePartitions(context.Arguments.GetAll("--partitions"))
            : [.. description.Partitions.Select(p => p.Partition)];
        var partitions = chosen.Select(p => new TopicPartition(topic, p)).ToArray();
        Dictionary<TopicPartition, long> before = await OffsetSpecs.ResolveTargetAsync(admin, partitions, offsetText, context.Cancellation);
        IReadOnlyDictionary<TopicPartition, long> lowWatermarks = await admin.DeleteRecordsAsync(before, context.Cancellation);
        var ordered = lowWatermarks.OrderBy(p => p.Key.Partition).ToArray();
        var rows = ordered.Select(p => Output.Map(("topic", p.Key.Topic), ("partition", p.Key.Partition), ("low_watermark", p.Value))).ToList();
        Output.Write(context, rows, _ =>
        {
            var table = new TextTable("TOPIC", "PARTITION", "NEW-START-OFFSET");
            foreach ((TopicPartition partition, long low) in ordered)
            {
                table.Add(partition.Topic, Text(partition.Partition), Text(low));
            }
            table.Write(context);
        });
        return ExitCodes.Ok;
    }

    public static string Describe(ErrorCode error, string? message) =>
        string.IsNullOrEmpty(message) ? $"{ErrorCodes.Find((short)error)?.Name ?? error.ToString()}: {error.Message()}" : $"{ErrorCodes.Find((short)error)?.Name ?? error.ToString()}: {message}";

    /// <summary>Leader of a partition for display: the node id, or "-" when it has none.</summary>
    public static string Leader(PartitionMetadata partition) => partition.Leader < 0 ? "-" : Text(partition.Leader);
}
