using Brook.Cli;
using Brook.Client.Admin;
using Brook.Client.Producing;

namespace Brook.Commands;

/// <summary>The bench options, parsed once.</summary>
public sealed record BenchSettings(string Topic, long Records, TimeSpan Duration, int Partitions, int RecordSize, long Rate,
    string? Acks, string? Compression, int LingerMs, int BatchSize, int MaxInFlight, bool Idempotence)
{
    public static BenchSettings From(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        ParsedArguments a = context.Arguments;
        var settings = new BenchSettings(
            a.Get("--topic") ?? "brook-bench",
            a.GetLong("--records", 1_000_000),
            BenchCommands.ParseDuration(a.Get("--duration")),
            a.GetInt("--partitions", 1),
            a.GetInt("--record-size", 1024),
            a.GetLong("--rate", 0),
            a.Get("--acks"),
            a.Get("--compression"),
            a.GetInt("--linger-ms", 5),
            a.GetInt("--batch-size", 1024 * 1024),
            a.GetInt("--max-in-flight", 5),
            !a.Has("--no-idempotence"));
        if (settings.Records <= 0 && settings.Duration == TimeSpan.Zero)
        {
            throw new UsageException("give --records or --duration");
        }
        if (settings.RecordSize < 0 || settings.Partitions <= 0 || settings.BatchSize <= 0)
        {
            throw new UsageException("--record-size, --partitions and --batch-size must be positive");
        }
        return settings;
    }

    public ProducerOptions ProducerOptions(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        ProducerOptions options = context.Settings.Apply(new ProducerOptions
        {
            Acks = ProduceCommand.ParseAcks(Acks),
            Compression = ProduceCommand.ParseCodec(Compression),
            Linger = TimeSpan.FromMilliseconds(LingerMs),
            BatchSize = BatchSize,
            MaxInFlightPerPartition = MaxInFlight,
        });
        options.EnableIdempotence = Idempotence && options.Acks == Brook.Client.Producing.Acks.All;
        if (options.EnableIdempotence && MaxInFlight > 5)
        {
            throw new UsageException("the idempotent producer keeps at most 5 batches in flight per partition; add --no-idempotence");
        }
        return options;
    }

    public static async Task<int> PartitionCountAsync(CliContext context, string topic)
    {
        ArgumentNullException.ThrowIfNull(context);
        await using KafkaAdminClient admin = context.CreateAdmin();
        return (await admin.DescribeTopicsAsync([topic], context.Cancellation))[0].Partitions.Count;
    }
}
