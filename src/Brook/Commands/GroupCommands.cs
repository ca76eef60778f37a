using System.Globalization;
using Brook.Cli;
using Brook.Client;
using Brook.Client.Admin;
using Brook.Protocol.Errors;
using static Brook.Commands.TopicSelection;

namespace Brook.Commands;

/// <summary><c>brook group ...</c>: consumer groups, their members, offsets and lag.</summary>
public static class GroupCommands
{
    public static CliCommand Create()
    {
        var group = new CliCommand("group", "list, describe, seek and delete consumer groups");
        group.Add(new CliCommand("list", "list groups with their state").With(Output.FormatOption).Runs(ListAsync));
        group.Add(new CliCommand("describe", "show a group's members, assignments, committed offsets and lag per partition")
            .With(new CliArgument("GROUP", "the groups", Variadic: true))
            .With(Output.FormatOption)
            .Runs(DescribeAsync));
        group.Add(new CliCommand("seek", "move a group's committed offsets (the group must have no active members)")
            .With(new CliArgument("GROUP", "the group"))
            .With(CliOption.Value("--to", "WHERE", "start, end, an offset, or @TIME (ms since the epoch, ISO 8601, -1h)"))
            .With(CliOption.Value("--to-file", "PATH", "offsets from a file: one 'TOPIC PARTITION OFFSET' per line"))
            .With(new CliOption("--topics", "topics to move (default: those the group has offsets for)") { ValueName = "TOPIC,...", Repeatable = true })
            .With(Output.FormatOption)
            .Example("brook group seek billing --to start --topics orders")
            .Example("brook group seek billing --to @-1h")
            .Runs(GroupSeekCommand.RunAsync));
        group.Add(new CliCommand("delete", "delete groups (only groups without members)")
            .With(new CliArgument("GROUP", "the groups", Variadic: true))
            .With(Output.FormatOption)
            .Runs(DeleteAsync));
        group.Add(new CliCommand("offset-delete", "delete a group's committed offsets of some partitions")
            .With(new CliArgument("GROUP", "the group"))
            .With(new CliOption("--topic", "a topic, optionally with partitions (default: all of them)") { Alias = "-t", ValueName = "TOPIC[:P,P]", Repeatable = true })
            .With(Output.FormatOption)
            .Example("brook group offset-delete billing -t orders:0,1")
            .Runs(OffsetDeleteAsync));
        return group;
    }

    private static async Task<int> ListAsync(CliContext context)
    {
        await using KafkaAdminClient admin = context.CreateAdmin();
        IReadOnlyList<GroupListing> groups = await admin.ListGroupsAsync(context.Cancellation);
        var rows = groups.Select(g => Output.Map(("group", g.GroupId), ("state", g.State), ("protocol_type", g.ProtocolType), ("type", g.Type))).ToList();
        Output.Write(context, rows, _ =>
        {
            var table = new TextTable("GROUP", "STATE", "PROTOCOL-TYPE");
            foreach (GroupListing g in groups)
            {
                table.Add(g.GroupId, g.State, g.ProtocolType);
            }
            table.Write(context);
        });
        return ExitCodes.Ok;
    }

    private static async Task<int> DescribeAsync(CliContext context)
    {
        await using KafkaAdminClient admin = context.CreateAdmin();
        var described = new List<Dictionary<string, object?>>();
        var texts = new List<Action<TextWriter>>();
        foreach (string groupId in context.Arguments.Positionals)
        {
            GroupDescription group = await admin.DescribeGroupAsync(groupId, context.Cancellation);
            IReadOnlyDictionary<TopicPartition, CommittedOffset> committed = await admin.FetchCommittedOffsetsAsync(groupId, cancellationToken: context.Cancellation);
            var owners = new Dictionary<TopicPartition, GroupMemberDescription>();
            foreach (GroupMemberDescription member in group.Members)
            {
                foreach (TopicPartition partition in member.Assignment)
                {
                    owners[partition] = member;
                }
            }
            TopicPartition[] partitions = [.. committed.Keys.Union(owners.Keys).OrderBy(p => p.Topic, StringComparer.Ordinal).ThenBy(p => p.Partition)];
            IReadOnlyDictionary<TopicPartition, ListedOffset> ends = partitions.Length == 0 ? new Dictionary<TopicPartition, ListedOffset>()
                : await admin.ListOffsetsAsync(partitions.Select(p => KeyValuePair.Create(p, OffsetSpec.Latest)), context.Cancellation);
            var lines = partitions.Select(p =>
            {
                long current = committed.TryGetValue(p, out CommittedOffset c) ? c.Offset : -1;
                long end = ends.TryGetValue(p, out ListedOffset e) ? e.Offset : -1;
                long? lag = current >= 0 && end >= 0 ? Math.Max(0, end - current) : null;
                owners.TryGetValue(p, out GroupMemberDescription? owner);
                return (Partition: p, Current: current, End: end, Lag: lag, Owner: owner);
            }).ToArray();
            long totalLag = lines.Sum(l => l.Lag ?? 0);
            described.Add(Output.Map(
                ("group", group.GroupId),
                ("state", group.State),
                ("protocol_type", group.ProtocolType),
                ("protocol", group.Protocol),
                ("total_lag", totalLag),
                ("members", group.Members.Select(m => Output.Map(("member_id", m.MemberId), ("instance_id", m.GroupInstanceId), ("client_id", m.ClientId),
                    ("host", m.ClientHost), ("assignment", m.Assignment.Select(a => Output.Map(("topic", a.Topic), ("partition", a.Partition))).ToList()))).ToList()),
                ("partitions", lines.Select(l => Output.Map(("topic", l.Partition.Topic), ("partition", l.Partition.Partition),
                    ("committed_offset", l.Current < 0 ? null : (object)l.Current), ("log_end_offset", l.End), ("lag", l.Lag),
                    ("member_id", l.Owner?.MemberId), ("client_id", l.Owner?.ClientId), ("host", l.Owner?.ClientHost))).ToList())));
            texts.Add(o =>
            {
                o.WriteLine($"GROUP        {group.GroupId}");
                o.WriteLine($"STATE        {group.State}");
                o.WriteLine($"PROTOCOL     {(group.Protocol.Length == 0 ? "-" : group.Protocol)}");
                o.WriteLine($"MEMBERS      {group.Members.Count}");
                o.WriteLine($"TOTAL-LAG    {totalLag}");
                o.WriteLine();
                var table = new TextTable("TOPIC", "PARTITION", "CURRENT-OFFSET", "LOG-END-OFFSET", "LAG", "MEMBER-ID", "CLIENT-ID", "HOST");
                foreach (var l in lines)
                {
                    table.Add(l.Partition.Topic, Text(l.Partition.Partition), l.Current < 0 ? "-" : Text(l.Current), Text(l.End),
                        l.Lag is { } lag ? Text(lag) : "-", l.Owner?.MemberId ?? "-", l.Owner?.ClientId ?? "-", l.Owner?.ClientHost ?? "-");
                }
                table.Write(context);
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
                texts[i](o);
            }
        });
        return ExitCodes.Ok;
    }

    private static async Task<int> DeleteAsync(CliContext context)
    {
        await using KafkaAdminClient admin = context.CreateAdmin();
        IReadOnlyList<GroupResult> results = await admin.DeleteGroupsAsync(context.Arguments.Positionals, context.Cancellation);
        var rows = results.Select(r => Output.Map(("group", r.GroupId), ("status", r.Succeeded ? "deleted" : "failed"),
            ("error", r.Succeeded ? null : TopicCommands.Describe(r.Error, null)))).ToList();
        Output.Write(context, rows, _ =>
        {
            var table = new TextTable("GROUP", "STATUS");
            foreach (GroupResult r in results)
            {
                table.Add(r.GroupId, r.Succeeded ? "deleted" : context.Paint(TopicCommands.Describe(r.Error, null), "31"));
            }
            table.Write(context);
        });
        return results.All(r => r.Succeeded) ? ExitCodes.Ok : ExitCodes.Error;
    }

    private static async Task<int> OffsetDeleteAsync(CliContext context)
    {
        string groupId = context.Argument(0)!;
        IReadOnlyList<string> topics = context.Arguments.GetAll("--topic");
        if (topics.Count == 0)
        {
            throw new UsageException("give at least one --topic TOPIC[:P,P]");
        }
        await using KafkaAdminClient admin = context.CreateAdmin();
        var partitions = new List<TopicPartition>();
        foreach (string spec in topics)
        {
            int colon = spec.LastIndexOf(':');
            string topic = colon < 0 ? spec : spec[..colon];
            IReadOnlyList<int> numbers = colon < 0
                ? [.. (await admin.DescribeTopicsAsync([topic], context.Cancellation))[0].Partitions.Select(p => p.Partition)]
                : ParsePartitions([spec[(colon + 1)..]]);
            partitions.AddRange(numbers.Select(p => new TopicPartition(topic, p)));
        }
        IReadOnlyDictionary<TopicPartition, ErrorCode> results = await admin.DeleteCommittedOffsetsAsync(groupId, partitions, context.Cancellation);
        var ordered = results.OrderBy(r => r.Key.Topic, StringComparer.Ordinal).ThenBy(r => r.Key.Partition).ToArray();
        var rows = ordered.Select(r => Output.Map(("topic", r.Key.Topic), ("partition", r.Key.Partition),
            ("status", r.Value == ErrorCode.None ? "deleted" : "failed"), ("error", r.Value == ErrorCode.None ? null : TopicCommands.Describe(r.Value, null)))).ToList();
        Output.Write(context, rows, _ =>
        {
            var table = new TextTable("TOPIC", "PARTITION", "STATUS");
            foreach ((TopicPartition partition, ErrorCode error) in ordered)
            {
                table.Add(partition.Topic, partition.Partition.ToString(CultureInfo.InvariantCulture), error == ErrorCode.None ? "deleted" : TopicCommands.Describe(error, null));
            }
            table.Write(context);
        });
        return ordered.All(r => r.Value == ErrorCode.None) ? ExitCodes.Ok : ExitCodes.Error;
    }
}
