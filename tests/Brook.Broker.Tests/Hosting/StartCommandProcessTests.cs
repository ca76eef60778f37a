using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Brook.Broker.Tests.Support;

namespace Brook.Broker.Tests.Hosting;

/// <summary>Runs the real <c>brook</c> binary as a child process, as an operator would.</summary>
public sealed partial class StartCommandProcessTests : IDisposable
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "brook-start-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task Brook_start_prints_where_it_listens_accepts_connections_and_exits_0_on_sigterm()
    {
        using Process brook = StartBrook(
            "start", "--kafka-listener", "127.0.0.1:0", "--admin-listener", "127.0.0.1:0", "--data-dir", _dataDirectory);
        var output = new LineCollector(brook);

        string kafkaLine = await output.WaitForLineAsync("kafka: ");
        string adminLine = await output.WaitForLineAsync("admin: ");
        var kafka = IPEndPoint.Parse(KafkaAddress().Match(kafkaLine).Groups[1].Value);
        using (var socket = new TcpClient())
        {
            await socket.ConnectAsync(kafka);
            Assert.True(socket.Connected);
        }
        using (var http = new HttpClient())
        {
            var ready = await http.GetAsync(new Uri(adminLine["admin: ".Length..] + "/v1/status/ready"));
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }
        Assert.True(Directory.Exists(_dataDirectory));

        SendSigterm(brook.Id);

        Assert.Equal(0, await ExitCodeOf(brook));
        await output.WaitForLineAsync("brook: stopped");
    }

    [Fact]
    public async Task Brook_start_with_a_bad_setting_exits_2_and_says_why()
    {
        using Process brook = StartBrook("start", "--kafka-listener", "nowhere");
        var output = new LineCollector(brook);

        Assert.Equal(2, await ExitCodeOf(brook));
        await output.WaitForLineAsync("brook start: kafka_listener: 'nowhere' has no port");
    }

    [Fact]
    public async Task Brook_version_still_prints_the_version()
    {
        using Process brook = StartBrook("version");
        var output = new LineCollector(brook);

        Assert.Equal(0, await ExitCodeOf(brook));
        await output.WaitForLineAsync("brook ");
    }

    private static Process StartBrook(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "brook.dll"));
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (string name in start.Environment.Keys.Where(k => k.StartsWith("BROOK_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }
        return Process.Start(start) ?? throw new InvalidOperationException("could not start brook");
    }

    private static async Task<int> ExitCodeOf(Process process)
    {
        using var deadline = new CancellationTokenSource(Eventually.Deadline);
        await process.WaitForExitAsync(deadline.Token);
        return process.ExitCode;
    }

    private static void SendSigterm(int pid)
    {
        using Process kill = Process.Start("kill", ["-TERM", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    [GeneratedRegex(@"^kafka: (\S+)")]
    private static partial Regex KafkaAddress();

    /// <summary>Collects a child's stdout and stderr lines and waits for one that starts with a prefix.</summary>
    private sealed class LineCollector
    {
        private readonly List<string> _lines = [];
        private readonly Lock _lock = new();

        public LineCollector(Process process)
        {
            process.OutputDataReceived += (_, e) => Add(e.Data);
            process.ErrorDataReceived += (_, e) => Add(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public async Task<string> WaitForLineAsync(string prefix)
        {
            string? found = null;
            await Eventually.True(() => (found = Find(prefix)) is not null, () => $"brook prints a line starting '{prefix}' (so far: {string.Join(" | ", Snapshot())})");
            return found!;
        }

        private void Add(string? line)
        {
            if (line is not null)
            {
                lock (_lock)
                {
                    _lines.Add(line);
                }
            }
        }

        private string? Find(string prefix)
        {
            lock (_lock)
            {
                return _lines.Find(l => l.StartsWith(prefix, StringComparison.Ordinal));
            }
        }

        private List<string> Snapshot()
        {
            lock (_lock)
            {
                return [.. _lines];
            }
        }
    }
}
