using System.Collections;

namespace Brook.Broker.Configuration;

/// <summary>
/// Builds <see cref="BrookSettings"/> from, in increasing precedence: defaults, the YAML file
/// (<c>--config</c> or <c>BROOK_CONFIG</c>), <c>BROOK_*</c> environment variables, and flags.
/// </summary>
public static class BrookSettingsLoader
{
    public const string ConfigFlag = "--config";
    public const string ConfigEnvironmentVariable = "BROOK_CONFIG";

    /// <summary>Loads with the process's own environment.</summary>
    public static BrookSettings Load(IReadOnlyList<string> flags) => Load(flags, ProcessEnvironment());

    /// <param name="flags">The arguments after the command: <c>--name value</c> or <c>--name=value</c>.</param>
    /// <param name="environment">Environment variables; only <c>BROOK_*</c> ones are read.</param>
    public static BrookSettings Load(IReadOnlyList<string> flags, IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(flags);
        ArgumentNullException.ThrowIfNull(environment);
        List<(SettingKeys.Key Key, string Value)> parsedFlags = ParseFlags(flags, out string? configFromFlag);
        var settings = new BrookSettings();

        string? configPath = configFromFlag ?? environment.GetValueOrDefault(ConfigEnvironmentVariable);
        if (!string.IsNullOrEmpty(configPath))
        {
            foreach ((SettingKeys.Key key, string value) in YamlSettingsFile.Read(configPath))
            {
                Apply(settings, key, value, $"{configPath}");
            }
        }
        foreach (SettingKeys.Key key in SettingKeys.All)
        {
            if (environment.TryGetValue(key.EnvironmentVariable, out string? value))
            {
                Apply(settings, key, value, $"environment variable {key.EnvironmentVariable}");
            }
        }
        foreach ((SettingKeys.Key key, string value) in parsedFlags)
        {
            Apply(settings, key, value, $"flag {key.Flag}");
        }
        return settings;
    }

    private static List<(SettingKeys.Key, string)> ParseFlags(IReadOnlyList<string> flags, out string? configPath)
    {
        configPath = null;
        var parsed = new List<(SettingKeys.Key, string)>();
        for (int i = 0; i < flags.Count; i++)
        {
            string flag = flags[i];
            if (!flag.StartsWith("--", StringComparison.Ordinal))
            {
                throw new BrookConfigurationException($"unexpected argument '{flag}' (flags look like --name value)");
            }
            string name = flag;
            string? value = null;
            int equals = flag.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                name = flag[..equals];
                value = flag[(equals + 1)..];
            }
            else if (i + 1 < flags.Count)
            {
                value = flags[++i];
            }
            if (value is null)
            {
                throw new BrookConfigurationException($"flag {name} needs a value");
            }
            if (name == ConfigFlag)
            {
                configPath = value;
                continue;
            }
            SettingKeys.Key key = SettingKeys.Find(name) ?? throw new BrookConfigurationException($"unknown flag {name}");
            parsed.Add((key, value));
        }
        return parsed;
    }

    private static void Apply(BrookSettings settings, SettingKeys.Key key, string value, string source)
    {
        try
        {
            key.Apply(settings, value);
        }
        catch (BrookConfigurationException exception)
        {
            throw new BrookConfigurationException($"{exception.Message} (from {source})", exception);
        }
    }

    private static Dictionary<string, string> ProcessEnvironment()
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string name && name.StartsWith(SettingKeys.EnvironmentPrefix, StringComparison.Ordinal) && entry.Value is string value)
            {
                environment[name] = value;
            }
        }
        return environment;
    }
}
