using Brook.Protocol.Records;

namespace Brook.Storage.Tests.Support;

/// <summary>
/// Log tests as scenarios: each step says what happens to the log (append, roll, time passes,
/// crash, restart, retain, compact) and each expectation what must then be true.
/// </summary>
internal sealed class LogScenario : IDisposable
{
    private readonly TempDirectory _directory = new();
    private LogConfig _config;

    private LogScenario(LogConfig config, int? zeroWindowBytes = null, long? maxBytesPerSecond = null)
    {
        _config = config;
        ZeroWindowBytes = zeroWindowBytes ?? ZeroWindowBytes;
        ZeroWindowMaxBytesPerSecond = maxBytesPerSecond ?? ZeroWindowMaxBytesPerSecond;
        Log = PartitionLog.Open(Directory, config, Options);
    }

    public ManualTime Time { get; } = new();

    public PartitionLog Log { get; private set; }

    public string Directory => _directory.Sub("orders-0");

    public List<AppendResult> Appends { get; } = [];

    /// <summary>Warnings the log wrote (recovery cutting a torn tail, and so on).</summary>
    public WarningLog Warnings { get; } = new();

    private int ZeroWindowBytes { get; } = new LogOptions().ZeroWindowBytes;

    private long ZeroWindowMaxBytesPerSecond { get; } = new LogOptions().ZeroWindowMaxBytesPerSecond;

    private LogOptions Options => new() { Time = Time, Logger = Warnings, ZeroWindowBytes = ZeroWindowBytes, ZeroWindowMaxBytesPerSecond = ZeroWindowMaxBytesPerSecond };

    public static LogScenario Start(LogConfig? config = null) => new(config ?? LogConfig.Default);

    /// <summary>A log that keeps <paramref name="zeroWindowBytes"/> of written zeros ahead of its appends (0: none).</summary>
    public static LogScenario WithZeroWindow(int zeroWindowBytes, LogConfig? config = null, long maxBytesPerSecond = long.MaxValue) =>
        new(config ?? LogConfig.Default, zeroWindowBytes, maxBytesPerSecond);

    public LogScenario Append(byte[] batch, int leaderEpoch = 0)
    {
        var result = Log.Append(batch.AsSpan().ToArray(), leaderEpoch);
        Assert.Equal(StorageErrorCode.None, result.Error);
        Appends.Add(result);
        return this;
    }

    public LogScenario AppendValues(params string[] values) => Append(TestBatches.Values(values));

    public LogScenario AppendKeyed(params (string Key, string? Value)[] records) => Append(TestBatches.Keyed(records));

    /// <summary>Appends <paramref name="batches"/> batches of <paramref name="recordsEach"/> records, stamped with the current clock.</summary>
    public LogScenario AppendMany(int batches, int recordsEach = 1, int valueSize = 100)
    {
        for (int i = 0; i < batches; i++)
        {
            Append(TestBatches.OfSize(recordsEach, valueSize, Time.NowMs));
        }
        return this;
    }

    public LogScenario Roll()
    {
        Log.Roll();
        return this;
    }

    public LogScenario Flush()
    {
        Log.Flush();
        return this;
    }

    public LogScenario TimePasses(TimeSpan span)
    {
        Time.Advance(span);
        return this;
    }

    public LogScenario Reconfigure(LogConfig config)
    {
        _config = config;
        Log.UpdateConfig(config);
        return this;
    }

    /// <summary>The process dies: nothing is flushed or checkpointed.</summary>
    public LogScenario Crash()
    {
        Log.SimulateCrash();
        return this;
    }

    public LogScenario Restart()
    {
        Log.Dispose();
        return Reopen();
    }

    public LogScenario Reopen()
    {
        Log = PartitionLog.Open(Directory, _config, Options);
        return this;
    }

    public LogScenario RunRetention()
    {
        Log.DeleteExpiredSegments();
        return this;
    }

    public LogScenario Compact()
    {
        Log.Compact(force: true);
        return this;
    }

    /// <summary>Every record from the log start to the end, read through the normal read path.</summary>
    public List<ReadRecord> ReadAll(long from = -1, int maxBytes = 64 * 1024)
    {
        var records = new List<ReadRecord>();
        long offset = from < 0 ? Log.LogStartOffset : from;
        var buffer = new byte[Math.Max(maxBytes, 1 << 20)];
        while (offset < Log.LogEndOffset)
        {
            using var read = Log.Read(offset, maxBytes, long.MaxValue);
            Assert.Equal(StorageErrorCode.None, read.Error);
            int copied = read.CopyTo(buffer);
            if (copied == 0)
            {
                break;
            }
            foreach (var record in TestBatches.Parse(buffer.AsSpan(0, copied)))
            {
                if (record.Offset >= offset)
                {
                    records.Add(record);
                }
            }
            offset = LastOffset(buffer.AsSpan(0, copied)) + 1;
        }
        return records;
    }

    public LogScenario ExpectOffsets(long first, long endExclusive)
    {
        var offsets = ReadAll().Select(r => r.Offset).ToList();
        Assert.Equal(Enumerable.Range((int)first, (int)(endExclusive - first)).Select(i => (long)i), offsets);
        return this;
    }

    public LogScenario ExpectLogStart(long offset)
    {
        Assert.Equal(offset, Log.LogStartOffset);
        return this;
    }

    public LogScenario ExpectLogEnd(long offset)
    {
        Assert.Equal(offset, Log.LogEndOffset);
        return this;
    }

    public LogScenario ExpectSegments(int count)
    {
        Assert.Equal(count, Log.SegmentCount);
        return this;
    }

    /// <summary>The records read back, as key=value (or just value), in offset order.</summary>
    public LogScenario ExpectRecords(params string[] expected)
    {
        var actual = ReadAll().Select(r => r.Key is null ? r.Value ?? "<null>" : $"{r.Key}={r.Value ?? "<tombstone>"}").ToList();
        Assert.Equal(expected, actual);
        return this;
    }

    public void Dispose()
    {
        Log.Dispose();
        _directory.Dispose();
    }

    private static long LastOffset(ReadOnlySpan<byte> bytes)
    {
        long last = -1;
        int at = 0;
        while (at < bytes.Length)
        {
            var header = new RecordBatchHeader(bytes[at..]);
            last = header.LastOffset;
            at += header.TotalSize;
        }
        return last;
    }
}
