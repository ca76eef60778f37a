using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Brook.Broker.Configuration;

/// <summary>
/// Reads a <c>brook.yaml</c>: a flat mapping of setting names to scalar values. Unknown names are
/// errors, so a typo does not silently leave a default in place.
/// </summary>
public static class YamlSettingsFile
{
    public static IReadOnlyList<(SettingKeys.Key Key, string Value)> Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new BrookConfigurationException($"cannot read config file {path}: {exception.Message}", exception);
        }
        return Parse(text, path);
    }

    public static IReadOnlyList<(SettingKeys.Key Key, string Value)> Parse(string text, string source)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException exception)
        {
            throw new BrookConfigurationException($"{source}: not valid YAML at line {exception.Start.Line}: {exception.Message}", exception);
        }
        var settings = new List<(SettingKeys.Key, string)>();
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            return settings;
        }
        if (stream.Documents[0].RootNode is not YamlMappingNode mapping)
        {
            throw new BrookConfigurationException($"{source}: expected a mapping of setting names to values");
        }
        foreach (var (nameNode, valueNode) in mapping.Children)
        {
            string name = (nameNode as YamlScalarNode)?.Value ?? "";
            SettingKeys.Key key = SettingKeys.Find(name)
                ?? throw new BrookConfigurationException($"{source}: unknown setting '{name}' at line {nameNode.Start.Line}");
            if (valueNode is not YamlScalarNode scalar)
            {
                throw new BrookConfigurationException($"{source}: setting '{name}' at line {nameNode.Start.Line} must be a single value");
            }
            settings.Add((key, scalar.Value ?? ""));
        }
        return settings;
    }
}
