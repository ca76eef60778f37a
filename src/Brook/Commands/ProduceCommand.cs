using System.Text;
using Brook.Cli;
using Brook.Client.Producing;
using Brook.Protocol.Records;

namespace Brook.Commands;

/// <summary>
/// <c>brook topic produce</c>: records from standard input or a file, split by a <c>--format</c>
/// template (default: one value per line), sent with the idempotent producer. Every record's bytes are
/// copied from the input buffer into the producer's batch; nothing is allocated per record.
/// </summary>
public static class ProduceCommand
{
    public static CliCommand Create() =>
        new CliCommand("produce", "produce records from standard input or a file, one per line by default")
            .With(new CliArgument("TOPIC", "the topic to produce to"))
            .With(CliOption.Value("--file", "PATH", "read records from this file instead of standard input", "-f"))
            .With(CliOption.Value("--format", "TEMPLATE", "how input splits into records: %k key, %v value, %h headers (k=v,k=v), %T timestamp, %p partition; escapes \\n \\t", null) with { Default = "%v\\n" })
            .With(CliOption.Value("--key", "KEY", "the key of every record", "-k"))
            .With(new CliOption("--header", "a header on every record") { Alias = "-H", ValueName = "KEY=VALUE", Repeatable = true })
            .With(CliOption.Value("--partition", "N", "produce to this partition (default: by key, sticky for keyless records)", "-p"))
            .With(new CliOption("--compression", "compression codec") { Alias = "-z", ValueName = "CODEC", Choices = ["none", "gzip", "snappy", "lz4", "zstd"], Default = "none" })
            .With(new CliOption("--acks", "acknowledgements to wait for (all is idempotent)") { ValueName = "ACKS", Choices = ["all", "-1", "1", "0"], Default = "all" })
            .With(CliOption.Flag("--tombstone", "an empty value is sent as null (a tombstone for compacted topics)"))
            .Example("echo hello | brook topic produce demo")
            .Example("printf 'k1 v1\\nk2 v2\\n' | brook topic produce demo --format '%k %v\\n' -H origin=cli")
            .Runs(RunAsync);

    private static async Task<int> RunAsync(CliContext context)
    {
        string topic = context.Argument(0)!;
        TemplatePart[] template = RecordTemplate.Parse(context.Arguments.Get("--format") ?? "%v\\n");
        byte[]? fixedKey = context.Arguments.Get("--key") is { } key ? Encoding.UTF8.GetBytes(key) : null;
        var fixedHeaders = context.Arguments.GetPairs("--header")
            .Select(h => new RecordHeaderData(Encoding.UTF8.GetBytes(h.Key), Encoding.UTF8.GetBytes(h.Value))).ToArray();
        int? fixedPartition = context.Arguments.Has("--partition") ? context.Arguments.GetInt("--partition", 0) : null;
        bool tombstones = context.Arguments.Has("--tombstone");
        ProducerOptions options = context.Settings.Apply(new ProducerOptions
        {
            Compression = ParseCodec(context.Arguments.Get("--compression")),
            Acks = ParseAcks(context.Arguments.Get("--acks")),
        });
        options.EnableIdempotence = options.Acks == Acks.All;

        await using Stream input = context.Arguments.Get("--file") is { } path ? OpenFile(path) : new NonClosingStream(context.Input);
        using var reader = new ProduceInput(input, template);
        var tally = new DeliveryTally();
        long count;
        await using (var producer = new KafkaProducer(options))
        {
            // Reading the input and Produce both block (a full producer buffer waits for acknowledgements),
            // so the loop gets its own thread rather than holding a thread-pool thread the producer needs.
            count = await Task.Factory.StartNew(
                () => ProduceAll(reader, producer, topic, fixedKey, fixedHeaders, fixedPartition, tombstones, tally, context.Cancellation),
                context.Cancellation, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            await producer.FlushAsync(context.Cancellation);
        }
        if (tally.FirstError is { } error)
        {
            throw new CliException($"{tally.Failed} of {count} records failed: {error.Message}");
        }
        await context.Error.WriteLineAsync($"produced {count} records to {topic}");
        return ExitCodes.Ok;
    }

    private static long ProduceAll(ProduceInput reader, KafkaProducer producer, string topic, byte[]? fixedKey, RecordHeaderData[] fixedHeaders,
        int? fixedPartition, bool tombstones, DeliveryTally tally, CancellationToken cancellation)
    {
        var headers = new List<RecordHeaderData>(fixedHeaders);
        long count = 0;
        while (!cancellation.IsCancellationRequested && reader.TryRead(out ParsedInputRecord record))
        {
            byte[] buffer = reader.Buffer;
            ReadOnlyMemory<byte>? recordKey = record.KeyStart >= 0 ? buffer.AsMemory(record.KeyStart, record.KeyLength) : fixedKey;
            ReadOnlyMemory<byte>? value = record.ValueStart >= 0 ? buffer.AsMemory(record.ValueStart, record.ValueLength) : ReadOnlyMemory<byte>.Empty;
            if (tombstones && value.Value.IsEmpty)
            {
                value = null;
            }
            ReadOnlySpan<RecordHeaderData> recordHeaders = fixedHeaders;
            if (record.HeadersStart >= 0)
            {
                headers.RemoveRange(fixedHeaders.Length, headers.Count - fixedHeaders.Length);
                AddHeaders(headers, buffer.AsMemory(record.HeadersStart, record.HeadersLength));
                recordHeaders = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(headers);
            }
            producer.Produce(topic, recordKey, value, tally.OnDelivery, recordHeaders, record.Partition ?? fixedPartition, record.Timestamp);
            count++;
        }
        return count;
    }

    /// <summary>Parses <c>k=v,k2=v2</c> into headers pointing into the input buffer.</summary>
    private static void AddHeaders(List<RecordHeaderData> headers, ReadOnlyMemory<byte> text)
    {
        while (!text.IsEmpty)
        {
            int comma = text.Span.IndexOf((byte)',');
            ReadOnlyMemory<byte> pair = comma < 0 ? text : text[..comma];
            int equals = pair.Span.IndexOf((byte)'=');
            if (equals < 0)
            {
                headers.Add(RecordHeaderData.WithNullValue(pair));
            }
            else
            {
                headers.Add(new RecordHeaderData(pair[..equals], pair[(equals + 1)..]));
            }
            text = comma < 0 ? ReadOnlyMemory<byte>.Empty : text[(comma + 1)..];
        }
    }

    private static FileStream OpenFile(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot read {path}: {e.Message}");
        }
    }

    public static Brook.Protocol.Records.CompressionType ParseCodec(string? codec) => codec switch
    {
        null or "none" => Brook.Protocol.Records.CompressionType.None,
        "gzip" => Brook.Protocol.Records.CompressionType.Gzip,
        "snappy" => Brook.Protocol.Records.CompressionType.Snappy,
        "lz4" => Brook.Protocol.Records.CompressionType.Lz4,
        "zstd" => Brook.Protocol.Records.CompressionType.Zstd,
        _ => throw new UsageException($"unknown compression '{codec}' (none, gzip, snappy, lz4, zstd)"),
    };

    public static Acks ParseAcks(string? acks) => acks switch
    {
        null or "all" or "-1" => Acks.All,
        "1" => Acks.Leader,
        "0" => Acks.None,
        _ => throw new UsageException($"--acks must be all, -1, 1 or 0, not '{acks}'"),
    };

    /// <summary>Counts failed deliveries and keeps the first error (called on producer threads).</summary>
    private sealed class DeliveryTally
    {
        private long _failed;
        private Exception? _first;

        public DeliveryTally()
        {
            OnDelivery = Deliver;
        }

        public DeliveryHandler OnDelivery { get; }

        public long Failed => Interlocked.Read(ref _failed);

        public Exception? FirstError => Volatile.Read(ref _first);

        private void Deliver(in DeliveryReport report, Exception? error)
        {
            if (error is not null)
            {
                Interlocked.Increment(ref _failed);
                Interlocked.CompareExchange(ref _first, error, null);
            }
        }
    }
}
