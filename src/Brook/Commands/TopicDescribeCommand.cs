using Brook.Cli;
using Brook.Client;
using Brook.Client.Admin;
using Brook.Client.Connections;
using static Brook.Commands.TopicSelection;

namespace Brook.Commands;

/// <summary><c>brook topic describe</c>: summary, config overrides and per-partition leaders and offsets.</summary>
public static class TopicDescribeCommand
{
    public static async Task<int> RunAsync(CliContext context)
    {
        await using KafkaAdminClient admin = context.CreateAdmin();
        IReadOnlyList<string> names = await SelectAsync(context, admin, includeInternal: true);
        if (names.Count == 0)
        {
            throw new CliException("no topic matches");
        }
        var described = new List<Dictionary<string, object?>>();
        var texts = new List<Action>();
        foreach (TopicDescription topic in await admin.DescribeTopicsAsync(names, context.Cancellation))
        {
            var partitions = topic.Partitions.Select(p => new TopicPartition(topic.Name, p.Partition)).ToArray();
            IReadOnlyDictionary<TopicPartition, ListedOffset> low = await admin.ListOffsetsAsync(partitions.Select(p => KeyValuePair.Create(p, OffsetSpec.Earliest)), context.Cancellation);
            IReadOnlyDictionary<TopicPartition, ListedOffset> high = await admin.ListOffsetsAsync(partitions.Select(p => KeyValuePair.Create(p, OffsetSpec.Latest)), context.Cancellation);
            IReadOnlyList<ConfigEntry> configs = await TryDescribeConfigsAsync(admin, topic.Name, context.Cancellation);
            var overrides = configs.Where(c => !c.IsDefault).OrderBy(c => c.Name, StringComparer.Ordinal).ToArray();
            described.Add(Output.Map(
                ("name", topic.Name),
                ("id", topic.TopicId.ToString()),
                ("internal", topic.IsInternal),
                ("partitions", topic.Partitions.Count),
                ("replicas", topic.ReplicationFactor),
                ("configs", configs.OrderBy(c => c.Name, StringComparer.Ordinal).Select(c => Output.Map(("name", c.Name), ("value", c.IsSensitive ? null : c.Value), ("default", c.IsDefault))).ToList()),
                ("partition_details", topic.Partitions.Select(p => Output.Map(
                    ("partition", p.Partition),
                    ("leader", p.Leader),
                    ("leader_epoch", p.LeaderEpoch),
                    ("replicas", p.Replicas),
                    ("in_sync_replicas", p.InSyncReplicas),
                    ("log_start_offset", low[new TopicPartition(topic.Name, p.Partition)].Offset),
                    ("high_watermark", high[new TopicPartition(topic.Name, p.Partition)].Offset))).ToList())));
            texts.Add(() =>
            {
                TextWriter o = context.Out;
                o.WriteLine(context.Paint("SUMMARY", "1"));
                o.WriteLine($"NAME        {topic.Name}");
                o.WriteLine($"ID          {topic.TopicId}");
                o.WriteLine($"INTERNAL    {(topic.IsInternal ? "yes" : "no")}");
                o.WriteLine($"PARTITIONS  {topic.Partitions.Count}");
                o.WriteLine($"REPLICAS    {topic.ReplicationFactor}");
                o.WriteLine();
                o.WriteLine(context.Paint("CONFIGS (overrides)", "1"));
                if (overrides.Length == 0)
                {
                    o.WriteLine("(none)");
                }
                else
                {
                    var table = new TextTable("KEY", "VALUE");
                    foreach (ConfigEntry config in overrides)
                    {
                        table.Add(config.Name, config.IsSensitive ? "(sensitive)" : config.Value ?? "");
                    }
                    table.Write(context);
                }
                o.WriteLine();
                o.WriteLine(context.Paint("PARTITIONS", "1"));
                var partitionTable = new TextTable("PARTITION", "LEADER", "EPOCH", "REPLICAS", "LOG-START-OFFSET", "HIGH-WATERMARK");
                foreach (PartitionMetadata p in topic.Partitions)
                {
                    var tp = new TopicPartition(topic.Name, p.Partition);
                    partitionTable.Add(Text(p.Partition), TopicCommands.Leader(p), Text(p.LeaderEpoch), $"[{Join(p.Replicas)}]", Text(low[tp].Offset), Text(high[tp].Offset));
                }
                partitionTable.Write(context);
            });
        }
        Output.Write(context, described, o =>
        {
            for (int i = 0; i < texts.Count; i++)
            {
                if (i > 0)
                {
                    o.WriteLine();
                }
                texts[i]();
            }
        });
        return ExitCodes.Ok;
    }

    private static async Task<IReadOnlyList<ConfigEntry>> TryDescribeConfigsAsync(KafkaAdminClient admin, string topic, CancellationToken cancellationToken)
    {
        try
        {
            return await admin.DescribeConfigsAsync(new ConfigResource(ConfigResourceType.Topic, topic), cancellationToken);
        }
        catch (UnsupportedApiException)
        {
            return [];
        }
    }
}
