using System.Globalization;
using System.Text;
using System.Text.Json;
using Brook.Cli;
using Brook.Interop.Tests.Support;

namespace Brook.Interop.Tests;

/// <summary>
/// Round trips between <c>brook topic produce|consume</c> (run in-process, as the binary runs it) and
/// kcat (librdkafka) and kafka-python: keys, values and headers arrive intact both ways.
/// </summary>
public sealed class CliInteropTests
{
    private const int Count = 50;

    private static async Task<(int Exit, string Stdout, string Stderr)> BrookAsync(EmbeddedBroker broker, string stdin, params string[] args)
    {
        using var output = new MemoryStream();
        using var error = new StringWriter();
        var environment = new CliEnvironment(new Dictionary<string, string?> { ["BROOK_BROKERS"] = broker.Bootstrap, ["XDG_CONFIG_HOME"] = Path.GetTempPath() });
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        int exit = await BrookCli.RunAsync(args, new MemoryStream(Encoding.UTF8.GetBytes(stdin)), output, error, environment, TerminalInfo.None, deadline.Token);
        return (exit, Encoding.UTF8.GetString(output.ToArray()), error.ToString());
    }

    private static string Lines(Func<int, string> line) => string.Concat(Enumerable.Range(0, Count).Select(line));

    [Theory]
    [InlineData("none")]
    [InlineData("lz4")]
    [InlineData("zstd")]
    public async Task Records_brook_produces_are_read_by_kcat_with_keys_and_headers_intact(string codec)
    {
        await using var broker = await EmbeddedBroker.StartAsync();
        (int exit, _, string stderr) = await BrookAsync(broker, Lines(i => $"key-{i} value-{i}\n"),
            "topic", "produce", "to-kcat", "-p", "0", "--format", "%k %v\\n", "-H", "origin=brook", "-H", "codec=" + codec, "-z", codec);
        Assert.True(exit == 0, stderr);

        ProcessResult consumed = await ChildProcess.RunAsync(InteropPaths.Kcat,
            ["-b", broker.Bootstrap, "-C", "-t", "to-kcat", "-p", "0", "-o", "beginning", "-e", "-q", "-f", "%o|%k|%s|%h\\n"]);

        Assert.True(consumed.ExitCode == 0, consumed.ToString());
        Assert.Equal(Enumerable.Range(0, Count).Select(i => $"{i}|key-{i}|value-{i}|origin=brook,codec={codec}"),
            consumed.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Records_kcat_produces_are_read_by_brook_with_keys_and_headers_intact()
    {
        await using var broker = await EmbeddedBroker.StartAsync();
        ProcessResult produced = await ChildProcess.RunAsync(InteropPaths.Kcat,
            ["-b", broker.Bootstrap, "-P", "-t", "from-kcat", "-p", "0", "-K:", "-H", "origin=kcat", "-H", "empty=", "-X", "acks=all"], Lines(i => $"key-{i}:value-{i}\n"));
        Assert.True(produced.ExitCode == 0, produced.ToString());

        (int exit, string stdout, string stderr) = await BrookAsync(broker, "", "topic", "consume", "from-kcat", "-o", "start:end");

        Assert.True(exit == 0, stderr);
        JsonElement[] records = [.. stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement)];
        Assert.Equal(Count, records.Length);
        for (int i = 0; i < Count; i++)
        {
            Assert.Equal($"key-{i}", records[i].GetProperty("key").GetString());
            Assert.Equal($"value-{i}", records[i].GetProperty("value").GetString());
            Assert.Equal(["origin=kcat", "empty="], records[i].GetProperty("headers").EnumerateArray()
                .Select(h => $"{h.GetProperty("key").GetString()}={h.GetProperty("value").GetString()}"));
        }
    }

    [Fact]
    public async Task Records_brook_produces_are_read_by_kafka_python_with_keys_and_headers_intact()
    {
        await using var broker = await EmbeddedBroker.StartAsync();
        (int exit, _, string stderr) = await BrookAsync(broker, Lines(i => $"key-{i}|n={i},origin=brook|value-{i}\n"),
            "topic", "produce", "to-python", "-p", "0", "--format", "%k|%h|%v\\n");
        Assert.True(exit == 0, stderr);

        ProcessResult consumed = await ChildProcess.RunAsync(InteropPaths.Python,
            [InteropPaths.Script("python", "cli_roundtrip.py"), broker.Bootstrap, "consume", "to-python", Count.ToString(CultureInfo.InvariantCulture)]);

        Assert.True(consumed.ExitCode == 0, consumed.ToString());
        JsonElement[] records = [.. consumed.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement)];
        Assert.Equal(Count, records.Length);
        for (int i = 0; i < Count; i++)
        {
            Assert.Equal($"key-{i}", records[i].GetProperty("key").GetString());
            Assert.Equal($"value-{i}", records[i].GetProperty("value").GetString());
            Assert.Equal([["n", $"{i}"], ["origin", "brook"]], records[i].GetProperty("headers").EnumerateArray()
                .Select(h => new[] { h[0].GetString(), h[1].GetString() }));
        }
    }

    [Fact]
    public async Task Records_kafka_python_produces_are_read_by_brook_with_keys_and_headers_intact()
    {
        await using var broker = await EmbeddedBroker.StartAsync();
        ProcessResult produced = await ChildProcess.RunAsync(InteropPaths.Python,
            [InteropPaths.Script("python", "cli_roundtrip.py"), broker.Bootstrap, "produce", "from-python", Count.ToString(CultureInfo.InvariantCulture)]);
        Assert.True(produced.ExitCode == 0, produced.ToString());

        (int exit, string stdout, string stderr) = await BrookAsync(broker, "", "topic", "consume", "from-python", "-n", Count.ToString(CultureInfo.InvariantCulture),
            "-f", "%k|%v|%h\\n");

        Assert.True(exit == 0, stderr);
        Assert.Equal(Enumerable.Range(0, Count).Select(i => $"key-{i}|value-{i}|origin=python,n={i}"), stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
