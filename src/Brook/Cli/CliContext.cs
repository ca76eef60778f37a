using System.Text;
using Brook.Client;
using Brook.Client.Admin;

namespace Brook.Cli;

/// <summary>What the terminal is: whether output goes to one, its width, and whether colour is welcome.</summary>
public sealed record TerminalInfo(bool IsTerminal, int Width)
{
    public static TerminalInfo None { get; } = new(false, int.MaxValue);
}

/// <summary>Everything a running command uses: its arguments, the standard streams, environment, cancellation and the cluster settings.</summary>
public sealed class CliContext
{
    private ClientSettings? _settings;

    public CliContext(CliCommand command, ParsedArguments arguments, Stream input, Stream output, TextWriter error,
        CliEnvironment environment, TerminalInfo terminal, CancellationToken cancellation)
    {
        Command = command;
        Arguments = arguments;
        Input = input;
        OutputStream = output;
        Out = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 64 * 1024, leaveOpen: true) { NewLine = "\n" };
        Error = error;
        Environment = environment;
        Terminal = terminal;
        Cancellation = cancellation;
        UseColor = terminal.IsTerminal && environment.Get("NO_COLOR") is null && !arguments.Has("--no-color");
    }

    public CliCommand Command { get; }

    public ParsedArguments Arguments { get; }

    public Stream Input { get; }

    /// <summary>Raw standard output, for commands that write bytes (consume). Flush <see cref="Out"/> before writing here.</summary>
    public Stream OutputStream { get; }

    /// <summary>Standard output as text; flushed when the command ends.</summary>
    public TextWriter Out { get; }

    public TextWriter Error { get; }

    public CliEnvironment Environment { get; }

    public TerminalInfo Terminal { get; }

    public bool UseColor { get; }

    public CancellationToken Cancellation { get; }

    public ClientSettings Settings => _settings ??= ClientSettings.Resolve(Arguments, Environment);

    /// <summary>Positional argument <paramref name="index"/>, or null when not given.</summary>
    public string? Argument(int index) => index < Arguments.Positionals.Count ? Arguments.Positionals[index] : null;

    public KafkaAdminClient CreateAdmin() => new(Settings.Apply(new KafkaClientOptions()));

    public OutputFormat Format => Output.ParseFormat(Arguments.Get("--format"));

    /// <summary>Text in a colour (ANSI SGR code) when colours are on.</summary>
    public string Paint(string text, string sgr) => UseColor ? $"\u001b[{sgr}m{text}\u001b[0m" : text;
}
