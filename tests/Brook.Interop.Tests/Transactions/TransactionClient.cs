using System.Diagnostics;
using System.Text.Json;
using Brook.Interop.Tests.Support;

namespace Brook.Interop.Tests.Transactions;

/// <summary>Runs <c>tests/interop/transactions/txn_client.py</c> (confluent-kafka) and reads its JSON lines.</summary>
internal static class TransactionClient
{
    public static string Script => InteropPaths.Script("transactions", "txn_client.py");

    public static async Task<List<JsonElement>> RunAsync(params string[] arguments)
    {
        ProcessResult result = await ChildProcess.RunAsync(InteropPaths.Python, [Script, .. arguments]);
        Assert.True(result.ExitCode == 0, result.ToString());
        return Lines(result.Stdout);
    }

    public static List<JsonElement> Lines(string stdout) =>
        [.. stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement.Clone())];

    /// <summary>The values a consumer with this isolation level reads from every partition, to the end.</summary>
    public static async Task<List<string>> ReadAsync(string bootstrap, string topic, int partitions, string isolation)
    {
        List<JsonElement> lines = await RunAsync("consume", bootstrap, topic, partitions.ToString(System.Globalization.CultureInfo.InvariantCulture), isolation);
        Assert.True(lines[^1].GetProperty("done").GetBoolean(), "the consumer reached the end of every partition");
        return [.. lines.Where(l => l.TryGetProperty("value", out _)).Select(l => l.GetProperty("value").GetString()!)];
    }

    /// <summary>Starts a client that keeps running (ctp with --hang-after, open) and returns once it printed a line with <paramref name="marker"/>.</summary>
    public static async Task<Process> StartUntilAsync(string marker, params string[] arguments)
    {
        Process process = ChildProcess.Start(InteropPaths.Python, [Script, .. arguments]);
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        using var deadline = new CancellationTokenSource(ChildProcess.DefaultTimeout);
        try
        {
            while (await process.StandardOutput.ReadLineAsync(deadline.Token) is { } line)
            {
                if (line.Contains(marker, StringComparison.Ordinal))
                {
                    return process;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        process.Kill(entireProcessTree: true);
        process.Dispose();
        throw new InvalidOperationException($"txn_client.py {string.Join(' ', arguments)} never printed {marker}");
    }

    /// <summary>SIGKILL, and wait for it to be gone.</summary>
    public static async Task KillHardAsync(Process process)
    {
        process.Kill(entireProcessTree: true);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(deadline.Token);
        process.Dispose();
    }
}
