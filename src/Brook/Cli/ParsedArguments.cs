using System.Globalization;

namespace Brook.Cli;

/// <summary>What the parser found for a command: option values by long name and the positional arguments.</summary>
public sealed class ParsedArguments
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);

    public List<string> Positionals { get; } = [];

    public void Add(string option, string value)
    {
        if (!_values.TryGetValue(option, out List<string>? list))
        {
            list = [];
            _values[option] = list;
        }
        list.Add(value);
    }

    public bool Has(string option) => _values.ContainsKey(option);

    /// <summary>The last value given for the option, or null.</summary>
    public string? Get(string option) => _values.TryGetValue(option, out List<string>? list) ? list[^1] : null;

    public IReadOnlyList<string> GetAll(string option) => _values.TryGetValue(option, out List<string>? list) ? list : [];

    public int GetInt(string option, int fallback) => Get(option) is { } text ? ParseInt(option, text) : fallback;

    public long GetLong(string option, long fallback)
    {
        if (Get(option) is not { } text)
        {
            return fallback;
        }
        return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long value)
            ? value
            : throw new UsageException($"{option} wants a number, not '{text}'");
    }

    public static int ParseInt(string what, string text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value)
            ? value
            : throw new UsageException($"{what} wants a number, not '{text}'");

    /// <summary>KEY=VALUE pairs of a repeatable option.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> GetPairs(string option)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (string text in GetAll(option))
        {
            int equals = text.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new UsageException($"{option} wants KEY=VALUE, not '{text}'");
            }
            pairs.Add(new(text[..equals], text[(equals + 1)..]));
        }
        return pairs;
    }
}
