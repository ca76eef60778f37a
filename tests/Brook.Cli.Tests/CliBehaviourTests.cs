using Brook.Cli.Tests.Support;
using Brook.Client.Tests.Support;
using Brook.Commands;

namespace Brook.Cli.Tests;

public sealed class CliBehaviourTests
{
    [Theory]
    [InlineData(new[] { "topic", "frobnicate" }, "unknown command 'frobnicate'")]
    [InlineData(new[] { "topic", "list", "--bogus" }, "unknown option --bogus")]
    [InlineData(new[] { "topic", "create" }, "missing TOPIC")]
    [InlineData(new[] { "topic", "list", "--format", "xml" }, "--format must be one of text, json, yaml")]
    [InlineData(new[] { "topic", "consume", "t", "-o", "sideways" }, "is not an offset")]
    [InlineData(new[] { "topic" }, "Usage: brook topic <command>")]
    public async Task Usage_errors_exit_with_2_and_say_what_is_wrong(string[] args, string message)
    {
        await using CliHarness cli = await CliHarness.StartAsync();

        CliResult result = await cli.RunAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_lists_the_subcommands_and_exits_0()
    {
        await using CliHarness cli = await CliHarness.StartAsync();

        CliResult help = (await cli.RunAsync("topic", "--help")).Ok();
        CliResult root = (await cli.RunAsync()).Ok();

        Assert.Contains("  consume ", help.Stdout, StringComparison.Ordinal);
        Assert.Contains("--brokers HOST:PORT", help.Stdout, StringComparison.Ordinal);
        Assert.Contains("  topic ", root.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("__complete", root.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_broker_fails_with_exit_1_and_says_to_start_one()
    {
        await using CliHarness cli = await CliHarness.StartAsync();
        int port = FreePort.Find();

        CliResult result = await cli.RunAsync("topic", "list", "--brokers", $"127.0.0.1:{port}");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"brook topic list: cannot reach 127.0.0.1:{port}: connection refused; is `brook start` running?\n", result.Stderr);
    }

    [Fact]
    public async Task Brokers_come_from_the_flag_before_X_before_the_environment_before_the_profile()
    {
        await using CliHarness cli = await CliHarness.StartAsync();
        string good = cli.Broker.BootstrapServers;
        string bad = $"127.0.0.1:{FreePort.Find()}";
        (await cli.RunAsync("profile", "create", "local", "--set", $"brokers={bad}")).Ok();

        cli.SetEnvironment("BROOK_BROKERS", null);
        CliResult fromProfile = await cli.RunAsync("topic", "list");
        cli.SetEnvironment("BROOK_BROKERS", good);
        CliResult envOverProfile = await cli.RunAsync("topic", "list");
        CliResult xOverEnv = await cli.RunAsync("topic", "list", "-X", $"brokers={bad}");
        CliResult flagOverX = await cli.RunAsync("topic", "list", "-X", $"brokers={bad}", "--brokers", good);

        Assert.Contains($"cannot reach {bad}", fromProfile.Stderr, StringComparison.Ordinal);
        envOverProfile.Ok();
        Assert.Contains($"cannot reach {bad}", xOverEnv.Stderr, StringComparison.Ordinal);
        flagOverX.Ok();
        Assert.True(File.Exists(Path.Combine(cli.ConfigHome, "brook", "profiles.yaml")));
    }

    [Fact]
    public async Task Profiles_are_created_listed_switched_and_deleted()
    {
        await using CliHarness cli = await CliHarness.StartAsync();
        cli.SetEnvironment("BROOK_BROKERS", null);
        (await cli.RunAsync("profile", "create", "dev", "--set", $"brokers={cli.Broker.BootstrapServers}")).Ok();
        (await cli.RunAsync("profile", "create", "prod", "--set", "brokers=prod:9092", "--set", "client.id=ops")).Ok();

        CliResult listed = (await cli.RunAsync("profile", "list")).Ok();
        (await cli.RunAsync("profile", "use", "dev")).Ok();
        CliResult viaProfile = await cli.RunAsync("topic", "list");
        CliResult unknown = await cli.RunAsync("profile", "use", "nope");
        (await cli.RunAsync("profile", "delete", "prod")).Ok();
        CliResult after = (await cli.RunAsync("profile", "list", "--format", "json")).Ok();
        CliResult badKey = await cli.RunAsync("profile", "create", "x", "--set", "colour=blue");

        Assert.Equal(["NAME  CURRENT  BROKERS", $"dev            {cli.Broker.BootstrapServers}", "prod  *        prod:9092"], listed.Lines);
        viaProfile.Ok();
        Assert.Equal(1, unknown.ExitCode);
        Assert.Equal(["dev"], after.Json.EnumerateArray().Select(p => p.GetProperty("name").GetString()));
        Assert.True(after.Json[0].GetProperty("current").GetBoolean());
        Assert.Equal(2, badKey.ExitCode);
    }

    [Fact]
    public async Task Colours_appear_only_on_a_terminal_and_never_with_NO_COLOR()
    {
        await using CliHarness cli = await CliHarness.StartAsync();
        var terminal = new TerminalInfo(IsTerminal: true, Width: 200);

        CliResult onTerminal = await cli.RunAsync(new MemoryStream(), terminal, CancellationToken.None, "cluster", "health");
        CliResult piped = await cli.RunAsync("cluster", "health");
        cli.SetEnvironment("NO_COLOR", "1");
        CliResult noColor = await cli.RunAsync(new MemoryStream(), terminal, CancellationToken.None, "cluster", "health");

        Assert.Contains("\u001b[32myes\u001b[0m", onTerminal.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', piped.Stdout);
        Assert.DoesNotContain('\u001b', noColor.Stdout);
    }

    [Fact]
    public void A_table_wider_than_the_terminal_cuts_its_widest_column()
    {
        var table = new TextTable("NAME", "VALUE");
        table.Add("short", new string('x', 100));
        using var writer = new StringWriter();

        table.Write(writer, 40, bold: false);

        string[] lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(lines, l => Assert.True(l.TrimEnd().Length <= 40, l));
        Assert.EndsWith("…", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("short  xxx", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Completion_scripts_ask_brook_for_candidates_that_follow_the_command_tree()
    {
        await using CliHarness cli = await CliHarness.StartAsync();

        CliResult bash = (await cli.RunAsync("completion", "bash")).Ok();
        CliResult zsh = (await cli.RunAsync("completion", "zsh")).Ok();
        CliResult fish = (await cli.RunAsync("completion", "fish")).Ok();
        CliResult topics = (await cli.RunAsync("__complete", "topic")).Ok();
        CliResult codecs = (await cli.RunAsync("__complete", "topic", "produce", "-z")).Ok();
        CliResult unknown = await cli.RunAsync("completion", "powershell");

        Assert.Contains("complete -o default -F _brook brook", bash.Stdout, StringComparison.Ordinal);
        Assert.Contains("compdef _brook brook", zsh.Stdout, StringComparison.Ordinal);
        Assert.Contains("complete -c brook", fish.Stdout, StringComparison.Ordinal);
        Assert.Contains("consume", topics.Lines);
        Assert.Contains("--brokers", topics.Lines);
        Assert.Equal(["none", "gzip", "snappy", "lz4", "zstd"], codecs.Lines);
        Assert.Equal(2, unknown.ExitCode);
    }

    [Fact]
    public async Task Version_prints_the_version()
    {
        await using CliHarness cli = await CliHarness.StartAsync();

        CliResult version = (await cli.RunAsync("version")).Ok();

        Assert.StartsWith("brook ", version.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Offsets_and_times_parse_as_documented()
    {
        var time = new FixedTime(DateTimeOffset.FromUnixTimeMilliseconds(10_000_000));

        Assert.Equal(new ConsumeOffset(StartKind.BeforeEnd, 5, false, null), OffsetSpecs.ParseConsume("-5", time));
        Assert.Equal(new ConsumeOffset(StartKind.AfterStart, 5, true, null), OffsetSpecs.ParseConsume("+5:end", time));
        Assert.Equal(new ConsumeOffset(StartKind.Timestamp, 10_000_000 - 60_000, false, null), OffsetSpecs.ParseConsume("@-1m", time));
        Assert.Equal(new ConsumeOffset(StartKind.Timestamp, 1000, true, 2000), OffsetSpecs.ParseConsume("@1000:2000", time));
        Assert.Equal(new ConsumeOffset(StartKind.Timestamp, 1_767_225_600_000, true, 1_767_312_000_000),
            OffsetSpecs.ParseConsume("@2026-01-01T00:00:00Z:2026-01-02T00:00:00Z", time));
        Assert.Equal(new ConsumeOffset(StartKind.End, 0, false, null), OffsetSpecs.ParseConsume("end", time));
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
