using Brook.Cli;
using Brook.Client;
using Brook.Client.Admin;
using Brook.Client.Connections;
using static Brook.Commands.TopicSelection;

namespace Brook.Commands;

/// <summary><c>brook cluster ...</c>: the brokers, whether the cluster is healthy, and broker configs.</summary>
public static class ClusterCommands
{
    public static CliCommand Create()
    {
        var cluster = new CliCommand("cluster", "inspect the cluster and its broker configs");
        cluster.Add(new CliCommand("info", "the cluster id, controller, brokers and topic count").With(Output.FormatOption).Runs(InfoAsync));
        cluster.Add(new CliCommand("health", "check every broker answers and every partition has a leader (exit 1 if not)").With(Output.FormatOption).Runs(HealthAsync));
        var config = new CliCommand("config", "broker configs");
        var brokerOption = CliOption.Value("--broker", "ID", "the broker (default: the controller)");
        config.Add(new CliCommand("list", "list a broker's configs").With(brokerOption).With(Output.FormatOption).Runs(ConfigListAsync));
        config.Add(new CliCommand("get", "print one broker config's value")
            .With(new CliArgument("KEY", "the config's name")).With(brokerOption).Runs(ConfigGetAsync));
        config.Add(new CliCommand("set", "change a broker config")
            .With(new CliArgument("KEY", "the config's name")).With(new CliArgument("VALUE", "its new value")).With(brokerOption).Runs(ConfigSetAsync));
        cluster.Add(config);
        return cluster;
    }

    private static async Task<int> InfoAsync(CliContext context)
    {
        await using KafkaAdminClient admin = context.CreateAdmin();
        ClusterDescription cluster = await admin.DescribeClusterAsync(context.Cancellation);
        IReadOnlyList<string> topics = await admin.ListTopicsAsync(cancellationToken: context.Cancellation);
        var data = Output.Map(("cluster_id", cluster.ClusterId), ("controller", cluster.ControllerId), ("topics", topics.Count),
            ("brokers", cluster.Brokers.Select(b => Output.Map(("id", b.NodeId), ("host", b.Host), ("port", b.Port), ("rack", b.Rack))).ToList()));
        Output.Write(context, data, o =>
        {
            o.WriteLine($"CLUSTER     {cluster.ClusterId ?? "-"}");
            o.WriteLine($"CONTROLLER  {cluster.ControllerId}");
            o.WriteLine($"TOPICS      {topics.Count}");
            o.WriteLine();
            var table = new TextTable("ID", "HOST", "PORT", "RACK");
            foreach (BrokerNode broker in cluster.Brokers)
            {
                table.Add(broker.NodeId == cluster.ControllerId ? $"{broker.NodeId}*" : Text(broker.NodeId), broker.Host, Text(broker.Port), broker.Rack ?? "-");
            }
            table.Write(context);
        });
        return ExitCodes.Ok;
    }

    private static async Task<int> HealthAsync(CliContext context)
    {
        await using KafkaAdminClient admin = context.CreateAdmin();
        ClusterMetadata metadata = await admin.Cluster.RefreshMetadataAsync(null, context.Cancellation);
        var down = new List<int>();
        foreach (int node in metadata.Brokers.Keys.Order())
        {
            try
            {
                await admin.Cluster.GetConnectionAsync(node, context.Cancellation);
            }
            catch (KafkaException)
            {
                down.Add(node);
            }
        }
        var leaderless = metadata.Topics.Values.SelectMany(t => t.Partitions.Where(p => p.Leader < 0).Select(p => $"{t.Name}-{p.Partition}"))
            .Order(StringComparer.Ordinal).ToArray();
        bool healthy = down.Count == 0 && leaderless.Length == 0 && metadata.Brokers.Count > 0;
        var data = Output.Map(("healthy", healthy), ("brokers", metadata.Brokers.Count), ("controller", metadata.ControllerId),
            ("down_brokers", down), ("leaderless_partitions", leaderless));
        Output.Write(context, data, o =>
        {
            o.WriteLine($"HEALTHY                {(healthy ? context.Paint("yes", "32") : context.Paint("no", "31"))}");
            o.WriteLine($"BROKERS                {metadata.Brokers.Count}");
            o.WriteLine($"CONTROLLER             {metadata.ControllerId}");
            o.WriteLine($"DOWN BROKERS           {(down.Count == 0 ? "-" : Join(down))}");
            o.WriteLine($"LEADERLESS PARTITIONS  {(leaderless.Length == 0 ? "-" : string.Join(", ", leaderless))}");
        });
        return healthy ? ExitCodes.Ok : ExitCodes.Error;
    }

    private static async Task<ConfigResource> BrokerAsync(CliContext context, KafkaAdminClient admin)
    {
        string? id = context.Arguments.Get("--broker");
        if (id is null)
        {
            ClusterDescription cluster = await admin.DescribeClusterAsync(context.Cancellation);
            id = Text(cluster.ControllerId);
        }
        return new ConfigResource(ConfigResourceType.Broker, id);
    }

    private static async Task<int> ConfigListAsync(CliContext context)
    {
        await using KafkaAdminClient admin = context.CreateAdmin();
        IReadOnlyList<ConfigEntry> configs = await admin.DescribeConfigsAsync(await BrokerAsync(context, admin), context.Cancellation);
        var ordered = configs.OrderBy(c => c.Name, StringComparer.Ordinal).ToArray();
        var rows = ordered.Select(c => Output.Map(("name", c.Name), ("value", c.IsSensitive ? null : c.Value), ("default", c.IsDefault), ("read_only", c.IsReadOnly))).ToList();
        Output.Write(context, rows, _ =>
        {
            var table = new TextTable("KEY", "VALUE", "SOURCE");
            foreach (ConfigEntry c in ordered)
            {
                table.Add(c.Name, c.IsSensitive ? "(sensitive)" : c.Value ?? "", c.IsDefault ? "default" : "set");
            }
            table.Write(context);
        });
        return ExitCodes.Ok;
    }

    private static async Task<int> ConfigGetAsync(CliContext context)
    {
        string key = context.Argument(0)!;
        await using KafkaAdminClient admin = context.CreateAdmin();
        IReadOnlyList<ConfigEntry> configs = await admin.DescribeConfigsAsync(await BrokerAsync(context, admin), context.Cancellation);
        ConfigEntry entry = configs.FirstOrDefault(c => c.Name == key) ?? throw new CliException($"the broker has no config '{key}'");
        await context.Out.WriteLineAsync(entry.IsSensitive ? "(sensitive)" : entry.Value ?? "");
        return ExitCodes.Ok;
    }

    private static async Task<int> ConfigSetAsync(CliContext context)
    {
        string key = context.Argument(0)!;
        string value = context.Argument(1)!;
        await using KafkaAdminClient admin = context.CreateAdmin();
        ConfigResource broker = await BrokerAsync(context, admin);
        await admin.AlterConfigsAsync(broker, [new ConfigChange(key, value)], context.Cancellation);
        await context.Out.WriteLineAsync($"broker {broker.Name}: {key}={value}");
        return ExitCodes.Ok;
    }
}
