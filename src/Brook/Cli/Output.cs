using System.Text.Encodings.Web;
using System.Text.Json;
using YamlDotNet.Serialization;

namespace Brook.Cli;

public enum OutputFormat
{
    Text,
    Json,
    Yaml,
}

/// <summary>
/// Writes a listing as text (tables), JSON or YAML. Commands build the data as ordered dictionaries
/// and lists, so JSON and YAML carry the same names; the text form is drawn separately.
/// </summary>
public static class Output
{
    public static readonly CliOption FormatOption = new CliOption("--format", "output format: text, json or yaml")
    {
        ValueName = "FORMAT",
        Choices = ["text", "json", "yaml"],
        Default = "text",
    };

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static OutputFormat ParseFormat(string? text) => text switch
    {
        null or "text" => OutputFormat.Text,
        "json" => OutputFormat.Json,
        "yaml" => OutputFormat.Yaml,
        _ => throw new UsageException($"--format must be text, json or yaml, not '{text}'"),
    };

    /// <summary>An ordered map for JSON/YAML output.</summary>
    public static Dictionary<string, object?> Map(params (string Key, object? Value)[] entries)
    {
        var map = new Dictionary<string, object?>(entries.Length, StringComparer.Ordinal);
        foreach ((string key, object? value) in entries)
        {
            map[key] = value;
        }
        return map;
    }

    /// <summary>Writes <paramref name="data"/> as JSON or YAML, or calls <paramref name="text"/> for the text form.</summary>
    public static void Write(CliContext context, object data, Action<TextWriter> text)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(text);
        switch (context.Format)
        {
            case OutputFormat.Json:
                context.Out.WriteLine(JsonSerializer.Serialize(data, Json));
                break;
            case OutputFormat.Yaml:
                context.Out.Write(new SerializerBuilder().Build().Serialize(data));
                break;
            default:
                text(context.Out);
                break;
        }
    }
}
