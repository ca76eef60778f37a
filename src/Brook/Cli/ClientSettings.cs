using System.Globalization;
using Brook.Client;

namespace Brook.Cli;

/// <summary>
/// Where the cluster is and how to talk to it, from (first wins) <c>--brokers</c>, <c>-X key=value</c>,
/// <c>BROOK_BROKERS</c>, the selected profile, then 127.0.0.1:9092.
/// </summary>
public sealed class ClientSettings
{
    /// <summary>The keys <c>-X</c> and profiles accept.</summary>
    public static readonly IReadOnlyList<string> Keys = ["brokers", "client.id", "request.timeout.ms", "connect.timeout.ms"];

    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public string Brokers => _values.TryGetValue("brokers", out string? brokers) ? brokers : "127.0.0.1:9092";

    /// <summary>The profile the settings came from, if any.</summary>
    public string? Profile { get; private set; }

    public static ClientSettings Resolve(ParsedArguments args, CliEnvironment environment)
    {
        var settings = new ClientSettings();
        ProfileStore store = ProfileStore.For(environment);
        string? profileName = args.Get("--profile") ?? environment.Get("BROOK_PROFILE");
        ProfileFile file = store.Load();
        profileName ??= file.Current;
        if (profileName is not null)
        {
            if (!file.Profiles.TryGetValue(profileName, out Dictionary<string, string>? profile))
            {
                if (args.Has("--profile") || environment.Get("BROOK_PROFILE") is not null)
                {
                    throw new UsageException($"no profile '{profileName}' in {store.Path}");
                }
            }
            else
            {
                settings.Profile = profileName;
                foreach ((string key, string value) in profile)
                {
                    settings.Set(key, value, $"profile '{profileName}'");
                }
            }
        }
        if (environment.Get("BROOK_BROKERS") is { Length: > 0 } fromEnvironment)
        {
            settings.Set("brokers", fromEnvironment, "BROOK_BROKERS");
        }
        foreach ((string key, string value) in args.GetPairs("-X"))
        {
            settings.Set(key, value, "-X");
        }
        if (args.Get("--brokers") is { } brokers)
        {
            settings.Set("brokers", brokers, "--brokers");
        }
        return settings;
    }

    public void Set(string key, string value, string source)
    {
        if (!Keys.Contains(key))
        {
            throw new UsageException($"{source}: unknown client setting '{key}' (known: {string.Join(", ", Keys)})");
        }
        if (key.EndsWith(".ms", StringComparison.Ordinal) && !int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            throw new UsageException($"{source}: {key} wants milliseconds, not '{value}'");
        }
        _values[key] = value;
    }

    /// <summary>Copies the settings onto client options.</summary>
    public T Apply<T>(T options)
        where T : KafkaClientOptions
    {
        ArgumentNullException.ThrowIfNull(options);
        options.BootstrapServers = Brokers;
        options.ClientId = _values.TryGetValue("client.id", out string? clientId) ? clientId : "brook-cli";
        if (_values.TryGetValue("request.timeout.ms", out string? request))
        {
            options.RequestTimeout = TimeSpan.FromMilliseconds(int.Parse(request, CultureInfo.InvariantCulture));
        }
        if (_values.TryGetValue("connect.timeout.ms", out string? connect))
        {
            options.ConnectTimeout = TimeSpan.FromMilliseconds(int.Parse(connect, CultureInfo.InvariantCulture));
        }
        return options;
    }
}
