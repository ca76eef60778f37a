using System.Net;
using Brook.Broker.Cluster;
using Brook.Broker.Configuration;
using Brook.Broker.Tests.Handlers;
using Brook.Protocol.Errors;
using Microsoft.Extensions.Logging.Abstractions;

namespace Brook.Broker.Tests.Configuration;

public sealed class ZeroWindowSettingTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "brook-zero-window-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public void Zero_window_settings_come_from_the_environment_and_flags()
    {
        var defaults = BrookSettingsLoader.Load([], new Dictionary<string, string>()).ToServerOptions().Broker;
        Assert.Equal((4L * 1024 * 1024, 4L * 1024 * 1024), ((long)defaults.LogZeroWindowBytes, defaults.LogZeroWindowMaxBytesPerSecond));

        var environment = new Dictionary<string, string> { ["BROOK_LOG_ZERO_WINDOW_BYTES"] = "0" };
        var options = BrookSettingsLoader.Load(["--log-zero-window-max-bytes-per-second", "1048576"], environment).ToServerOptions().Broker;

        Assert.Equal((0, 1024L * 1024), (options.LogZeroWindowBytes, options.LogZeroWindowMaxBytesPerSecond));
    }

    [Fact]
    public void A_negative_zero_window_is_reported_by_name()
    {
        var settings = BrookSettingsLoader.Load(["--log-zero-window-bytes", "-1"], new Dictionary<string, string>());
        var error = Assert.Throws<BrookConfigurationException>(settings.ToServerOptions);
        Assert.Contains("log_zero_window_bytes", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1024 * 1024)]
    public async Task The_brokers_segments_keep_the_configured_zero_window_ahead_of_committed_data(int windowBytes)
    {
        await using var broker = await KafkaBroker.OpenAsync(1, _directory, () => new DnsEndPoint("localhost", 9092),
            new KafkaBrokerOptions { LogZeroWindowBytes = windowBytes }, NullLoggerFactory.Instance, TimeProvider.System);
        await broker.CreateTopicAsync("t", 1, new Dictionary<string, string>(), validateOnly: false, CancellationToken.None);
        var partition = broker.FindPartition("t", 0)!;

        long end = partition.Append(Requests.Batch(3)).EndOffset;
        Assert.Equal(ErrorCode.None, await partition.WaitUntilCommittedAsync(end, CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(30)));

        long FileBytes() => Directory.GetFiles(partition.Log.Directory, "*.log").Sum(file => new FileInfo(file).Length);
        Assert.True(partition.Log.SizeInBytes > 0);
        if (windowBytes == 0)
        {
            Assert.Equal(partition.Log.SizeInBytes, FileBytes());
            return;
        }
        // The window is written off the append path, by the extender thread: wait for it.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (FileBytes() < partition.Log.SizeInBytes + windowBytes / 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10); // polling a condition under a deadline, not a sleep standing for one
        }
        Assert.True(FileBytes() >= partition.Log.SizeInBytes + windowBytes / 2, $"file {FileBytes()} B, log {partition.Log.SizeInBytes} B");
    }
}
