namespace Brook.Cli;

/// <summary>Environment variables a command sees: the process's, or a test's dictionary.</summary>
public sealed class CliEnvironment
{
    private readonly IReadOnlyDictionary<string, string?> _variables;

    public CliEnvironment(IReadOnlyDictionary<string, string?> variables)
    {
        _variables = variables;
    }

    public static CliEnvironment FromProcess()
    {
        var variables = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            variables[(string)entry.Key] = entry.Value as string;
        }
        return new CliEnvironment(variables);
    }

    public string? Get(string name) => _variables.TryGetValue(name, out string? value) && !string.IsNullOrEmpty(value) ? value : null;

    /// <summary><c>$XDG_CONFIG_HOME/brook</c>, else <c>~/.config/brook</c>.</summary>
    public string ConfigDirectory =>
        System.IO.Path.Combine(Get("XDG_CONFIG_HOME") ?? System.IO.Path.Combine(Get("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config"), "brook");
}
