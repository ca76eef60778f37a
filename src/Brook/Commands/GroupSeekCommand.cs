using System.Globalization;
using Brook.Cli;
using Brook.Client;
using Brook.Client.Admin;
using static Brook.Commands.TopicSelection;

namespace Brook.Commands;

/// <summary><c>brook group seek</c>: commits new offsets for a group with no active members.</summary>
public static class GroupSeekCommand
{
    public static async Task<int> RunAsync(CliContext context)
    {
        string groupId = context.Argument(0)!;
        string? to = context.Arguments.Get("--to");
        string? file = context.Arguments.Get("--to-file");
        if ((to is null) == (file is null))
        {
            throw new UsageException("give exactly one of --to and --to-file");
        }
        await using KafkaAdminClient admin = context.CreateAdmin();
        GroupDescription group = await admin.DescribeGroupAsync(groupId, context.Cancellation);
        if (group.Members.Count > 0)
        {
            throw new CliException($"group '{groupId}' has {group.Members.Count} active member(s); stop them before seeking (state {group.State})");
        }
        Dictionary<TopicPartition, long> targets;
        if (file is not null)
        {
            targets = ReadFile(file);
        }
        else
        {
            var topics = context.Arguments.GetAll("--topics").SelectMany(t => t.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
            if (topics.Count == 0)
            {
                topics = [.. (await admin.FetchCommittedOffsetsAsync(groupId, cancellationToken: context.Cancellation)).Keys.Select(p => p.Topic).Distinct()];
            }
            if (topics.Count == 0)
            {
                throw new CliException($"group '{groupId}' has no committed offsets; name the topics with --topics");
            }
            var partitions = (await admin.DescribeTopicsAsync(topics, context.Cancellation))
                .SelectMany(t => t.Partitions.Select(p => new TopicPartition(t.Name, p.Partition))).ToArray();
            targets = await OffsetSpecs.ResolveTargetAsync(admin, partitions, to!, context.Cancellation);
        }
        await admin.CommitOffsetsAsync(groupId, targets, cancellationToken: context.Cancellation);
        var ordered = targets.OrderBy(t => t.Key.Topic, StringComparer.Ordinal).ThenBy(t => t.Key.Partition).ToArray();
        var rows = ordered.Select(t => Output.Map(("topic", t.Key.Topic), ("partition", t.Key.Partition), ("offset", t.Value))).ToList();
        Output.Write(context, rows, _ =>
        {
            var table = new TextTable("TOPIC", "PARTITION", "NEW-OFFSET");
            foreach ((TopicPartition partition, long offset) in ordered)
            {
                table.Add(partition.Topic, Text(partition.Partition), Text(offset));
            }
            table.Write(context);
        });
        return ExitCodes.Ok;
    }

    private static Dictionary<TopicPartition, long> ReadFile(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot read {path}: {e.Message}");
        }
        var targets = new Dictionary<TopicPartition, long>();
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            string[] fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length != 3
                || !int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out int partition)
                || !long.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out long offset))
            {
                throw new CliException($"{path}:{i + 1}: expected 'TOPIC PARTITION OFFSET'");
            }
            targets[new TopicPartition(fields[0], partition)] = offset;
        }
        return targets;
    }
}
