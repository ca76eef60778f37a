using System.Net;
using Brook.Broker.Configuration;
using Microsoft.Extensions.Logging;

namespace Brook.Broker.Tests.Configuration;

public sealed class SettingsLoaderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("brook-config-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Defaults_make_a_local_broker()
    {
        BrookSettings settings = BrookSettingsLoader.Load([], new Dictionary<string, string>());
        var options = settings.ToServerOptions();

        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 9092), options.KafkaListener);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 9644), options.AdminListener);
        Assert.Equal("./brook-data", options.DataDirectory);
        Assert.Equal(0, options.NodeId);
        Assert.Null(options.AdvertisedKafkaAddress);
        Assert.Equal(104_857_600, options.Network.SocketRequestMaxBytes);
        Assert.Equal(TimeSpan.FromMilliseconds(600_000), options.Network.ConnectionsMaxIdle);
        Assert.True(options.Network.SendFile);
    }

    [Fact]
    public void Sendfile_can_be_turned_off_by_flag_or_environment()
    {
        var byFlag = BrookSettingsLoader.Load(["--socket-sendfile", "false"], new Dictionary<string, string>()).ToServerOptions();
        var byEnvironment = BrookSettingsLoader.Load([], new Dictionary<string, string> { ["BROOK_SOCKET_SENDFILE"] = "false" }).ToServerOptions();

        Assert.False(byFlag.Network.SendFile);
        Assert.False(byEnvironment.Network.SendFile);
    }

    [Fact]
    public void Flags_override_environment_which_overrides_yaml_which_overrides_defaults()
    {
        string config = WriteConfig("""
            node_id: 1
            data_dir: /from/yaml
            kafka_listener: 127.0.0.1:1001
            admin_listener: 127.0.0.1:2001
            """);
        var environment = new Dictionary<string, string>
        {
            ["BROOK_DATA_DIR"] = "/from/env",
            ["BROOK_KAFKA_LISTENER"] = "127.0.0.1:1002",
            ["BROOK_CONFIG"] = "/ignored/because/the/flag/names/one.yaml",
            ["OTHER_DATA_DIR"] = "/not/brook",
        };

        BrookSettings settings = BrookSettingsLoader.Load(["--config", config, "--kafka-listener", "127.0.0.1:1003"], environment);

        Assert.Equal(1, settings.NodeId);
        Assert.Equal("/from/env", settings.DataDirectory);
        Assert.Equal("127.0.0.1:1003", settings.KafkaListener);
        Assert.Equal("127.0.0.1:2001", settings.AdminListener);
        Assert.Equal("127.0.0.1:9092", new BrookSettings().KafkaListener);
    }

    [Fact]
    public void The_config_file_can_come_from_the_environment()
    {
        string config = WriteConfig("log_level: debug\n");

        BrookSettings settings = BrookSettingsLoader.Load([], new Dictionary<string, string> { ["BROOK_CONFIG"] = config });

        Assert.Equal(LogLevel.Debug, settings.LogLevel);
    }

    [Fact]
    public void Yaml_accepts_kafka_style_dotted_names()
    {
        string config = WriteConfig("socket.request.max.bytes: 2048\nconnections.max.idle.ms: 5000\n");

        BrookSettings settings = BrookSettingsLoader.Load(["--config", config], new Dictionary<string, string>());

        Assert.Equal(2048, settings.SocketRequestMaxBytes);
        Assert.Equal(5000, settings.ConnectionsMaxIdleMs);
    }

    [Fact]
    public void Flags_take_the_equals_form_and_advertise_an_address()
    {
        BrookSettings settings = BrookSettingsLoader.Load(["--advertise-kafka-addr=broker-1.internal:19092", "--admin-listener", "none"], new Dictionary<string, string>());
        var options = settings.ToServerOptions();

        Assert.Equal(new DnsEndPoint("broker-1.internal", 19092), options.AdvertisedKafkaAddress);
        Assert.Null(options.AdminListener);
    }

    [Theory]
    [InlineData("--no-such-flag", "1", "unknown flag --no-such-flag")]
    [InlineData("--node-id", "one", "node_id: 'one' is not a whole number (from flag --node-id)")]
    [InlineData("--log-level", "loud", "log_level: 'loud'")]
    public void Bad_flags_are_reported_by_name(string flag, string value, string message)
    {
        var exception = Assert.Throws<BrookConfigurationException>(() => BrookSettingsLoader.Load([flag, value], new Dictionary<string, string>()));

        Assert.StartsWith(message, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_yaml_key_is_an_error_that_names_it()
    {
        string config = WriteConfig("kafka_listner: 127.0.0.1:9092\n");

        var exception = Assert.Throws<BrookConfigurationException>(() => BrookSettingsLoader.Load(["--config", config], new Dictionary<string, string>()));

        Assert.Contains("unknown setting 'kafka_listner'", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_environment_value_names_the_variable()
    {
        var exception = Assert.Throws<BrookConfigurationException>(() =>
            BrookSettingsLoader.Load([], new Dictionary<string, string> { ["BROOK_SOCKET_REQUEST_MAX_BYTES"] = "lots" }));

        Assert.Contains("BROOK_SOCKET_REQUEST_MAX_BYTES", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1:9092", "127.0.0.1", 9092)]
    [InlineData("0.0.0.0:0", "0.0.0.0", 0)]
    [InlineData("[::1]:9093", "::1", 9093)]
    [InlineData("localhost:9094", "127.0.0.1", 9094)]
    public void Listener_addresses_parse(string text, string address, int port)
    {
        Assert.Equal(new IPEndPoint(IPAddress.Parse(address), port), ListenerAddress.ParseBindable(text, "kafka_listener"));
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.1:99999")]
    [InlineData(":9092")]
    [InlineData("")]
    public void Listener_addresses_without_a_valid_host_and_port_are_refused(string text)
    {
        Assert.Throws<BrookConfigurationException>(() => ListenerAddress.ParseBindable(text, "kafka_listener"));
    }

    [Fact]
    public void Limits_that_cannot_work_are_refused()
    {
        var settings = new BrookSettings { SocketRequestMaxBytes = 4 };

        var exception = Assert.Throws<BrookConfigurationException>(settings.ToServerOptions);

        Assert.StartsWith("socket_request_max_bytes: 4", exception.Message, StringComparison.Ordinal);
    }

    private string WriteConfig(string yaml)
    {
        string path = Path.Combine(_directory, "brook.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }
}
