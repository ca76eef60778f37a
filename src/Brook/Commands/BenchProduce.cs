using System.Diagnostics;
using Brook.Cli;
using Brook.Client.Producing;

namespace Brook.Commands;

/// <summary><c>brook bench produce</c>: one producer, fixed-size random values spread over the partitions.</summary>
public static class BenchProduce
{
    public static async Task<int> RunAsync(CliContext context)
    {
        BenchSettings bench = BenchSettings.From(context);
        await BenchCommands.EnsureTopicAsync(context, bench.Topic, bench.Partitions);
        int partitions = await BenchSettings.PartitionCountAsync(context, bench.Topic);
        var tracker = new SendTracker(partitions, bench.RecordSize);
        var progress = new BenchCommands.Progress(context, "produced");
        Stopwatch clock;
        long sent;
        await using (var producer = new KafkaProducer(bench.ProducerOptions(context)))
        {
            (clock, sent) = await ProduceLoopAsync(context, producer, bench, partitions, tracker, progress, stampValues: false);
            await producer.FlushAsync(context.Cancellation);
        }
        clock.Stop();
        progress.Done();
        if (tracker.FirstError is { } error)
        {
            throw new CliException($"{tracker.Failed} of {sent} records failed: {error.Message}");
        }
        BenchCommands.Report(context, "produce", sent, sent * bench.RecordSize, clock.Elapsed, tracker.Latency, "delivery_latency");
        return ExitCodes.Ok;
    }

    /// <summary>
    /// Produces until the record count or duration is reached, pacing to --rate; returns the clock
    /// (still running) and the count. Runs on its own thread: Produce blocks while the buffer is full,
    /// and a blocked thread-pool thread would starve the producer's own I/O.
    /// </summary>
    public static Task<(Stopwatch Clock, long Sent)> ProduceLoopAsync(CliContext context, KafkaProducer producer, BenchSettings bench,
        int partitions, SendTracker tracker, BenchCommands.Progress progress, bool stampValues) =>
        Task.Factory.StartNew(() => ProduceLoop(context, producer, bench, partitions, tracker, progress, stampValues),
            context.Cancellation, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private static (Stopwatch Clock, long Sent) ProduceLoop(CliContext context, KafkaProducer producer, BenchSettings bench,
        int partitions, SendTracker tracker, BenchCommands.Progress progress, bool stampValues)
    {
        byte[] value = new byte[bench.RecordSize];
        Random.Shared.NextBytes(value);
        long limit = bench.Records > 0 ? bench.Records : long.MaxValue;
        long durationTicks = bench.Duration > TimeSpan.Zero ? (long)(bench.Duration.TotalSeconds * Stopwatch.Frequency) : long.MaxValue;
        var clock = Stopwatch.StartNew();
        long sent = 0;
        while (sent < limit && !context.Cancellation.IsCancellationRequested)
        {
            if ((sent & 255) == 0)
            {
                if (clock.ElapsedTicks >= durationTicks)
                {
                    break;
                }
                progress.Update(sent, sent * bench.RecordSize);
                if (bench.Rate > 0)
                {
                    double due = (double)sent / bench.Rate;
                    double ahead = due - clock.Elapsed.TotalSeconds;
                    if (ahead > 0.001)
                    {
                        Thread.Sleep(TimeSpan.FromSeconds(ahead));
                    }
                }
            }
            int partition = (int)(sent % partitions);
            long now = Stopwatch.GetTimestamp();
            if (stampValues && value.Length >= sizeof(long))
            {
                BitConverter.TryWriteBytes(value, now);
            }
            tracker.Sent(partition, now);
            producer.Produce(bench.Topic, null, value, tracker.OnDelivery, default, partition);
            sent++;
            if (bench.Rate > 0 && (sent & 255) != 0 && sent % Math.Max(1, bench.Rate / 1000) == 0)
            {
                double ahead = (double)sent / bench.Rate - clock.Elapsed.TotalSeconds;
                if (ahead > 0.001)
                {
                    Thread.Sleep(TimeSpan.FromSeconds(ahead));
                }
            }
        }
        return (clock, sent);
    }
}

/// <summary>
/// Delivery latency without a per-record allocation: each partition keeps a ring of send times; its
/// delivery reports come back in send order, so each report takes the oldest time of its partition.
/// </summary>
public sealed class SendTracker
{
    private readonly long[][] _rings;
    private readonly long[] _heads;
    private readonly long[] _tails;
    private readonly int _mask;
    private long _failed;
    private Exception? _first;

    public SendTracker(int partitions, int recordSize)
    {
        int capacity = (int)Math.Min(1 << 22, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(1024, 2 * (64L << 20) / Math.Max(recordSize, 16))));
        _rings = new long[partitions][];
        for (int i = 0; i < partitions; i++)
        {
            _rings[i] = new long[capacity];
        }
        _heads = new long[partitions];
        _tails = new long[partitions];
        _mask = capacity - 1;
        OnDelivery = Delivered;
    }

    public LatencyHistogram Latency { get; } = new();

    public DeliveryHandler OnDelivery { get; }

    public long Failed => Interlocked.Read(ref _failed);

    public Exception? FirstError => Volatile.Read(ref _first);

    public void Sent(int partition, long timestamp)
    {
        var spin = default(SpinWait);
        while (Volatile.Read(ref _tails[partition]) - Volatile.Read(ref _heads[partition]) > _mask)
        {
            spin.SpinOnce(); // the ring is full: wait for deliveries
        }
        _rings[partition][_tails[partition] & _mask] = timestamp;
        Volatile.Write(ref _tails[partition], _tails[partition] + 1);
    }

    private void Delivered(in DeliveryReport report, Exception? error)
    {
        long now = Stopwatch.GetTimestamp();
        int partition = report.Partition;
        if (error is not null)
        {
            Interlocked.Increment(ref _failed);
            Interlocked.CompareExchange(ref _first, error, null);
        }
        if ((uint)partition >= (uint)_rings.Length)
        {
            return;
        }
        long head = Interlocked.Increment(ref _heads[partition]) - 1;
        if (error is null)
        {
            long sent = _rings[partition][head & _mask];
            Latency.Record((now - sent) * 1_000_000 / Stopwatch.Frequency);
        }
    }
}
