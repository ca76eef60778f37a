using System.Globalization;
using Brook.Storage.Tests.Support;

namespace Brook.Storage.CrashWriter;

/// <summary>
/// Usage: CrashWriter &lt;partition-dir&gt; &lt;writers&gt;. Each writer appends one-record batches
/// ("w&lt;writer&gt;-&lt;n&gt;") and prints "&lt;offset&gt; &lt;value&gt;" only after the flusher
/// reports the batch durable, as an acks=all produce would answer. Runs until killed.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length != 2)
        {
            await Console.Error.WriteLineAsync("usage: CrashWriter <partition-dir> <writers>");
            return 2;
        }
        string directory = args[0];
        int writers = int.Parse(args[1], CultureInfo.InvariantCulture);
        await using var flusher = new LogFlusher();
        using var log = PartitionLog.Open(directory, LogConfig.Default with { SegmentBytes = 64 * 1024 }, new LogOptions { Flusher = flusher });
        var output = Console.Out;
        var gate = new Lock();
        var tasks = new Task[writers];
        for (int w = 0; w < writers; w++)
        {
            int writer = w;
            tasks[w] = Task.Run(async () =>
            {
                for (long n = 0; ; n++)
                {
                    string value = string.Create(CultureInfo.InvariantCulture, $"w{writer}-{n}");
                    var result = log.Append(TestBatches.Values(value), 0);
                    if (!result.Succeeded || await log.WaitForFlushAsync(result.EndOffset) != StorageErrorCode.None)
                    {
                        Environment.Exit(3);
                    }
                    lock (gate)
                    {
                        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{result.FirstOffset} {value}"));
                        output.Flush();
                    }
                }
            });
        }
        await Task.WhenAll(tasks);
        return 0;
    }
}
