using YamlDotNet.Serialization;

namespace Brook.Cli;

/// <summary>The profiles file: named sets of client settings and the one in use.</summary>
public sealed class ProfileFile
{
    [YamlMember(Alias = "current")]
    public string? Current { get; set; }

    [YamlMember(Alias = "profiles")]
    public Dictionary<string, Dictionary<string, string>> Profiles { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>Reads and writes <c>$XDG_CONFIG_HOME/brook/profiles.yaml</c> (default <c>~/.config/brook/profiles.yaml</c>).</summary>
public sealed class ProfileStore
{
    private ProfileStore(string path)
    {
        Path = path;
    }

    public string Path { get; }

    public static ProfileStore For(CliEnvironment environment) => new(System.IO.Path.Combine(environment.ConfigDirectory, "profiles.yaml"));

    public ProfileFile Load()
    {
        if (!File.Exists(Path))
        {
            return new ProfileFile();
        }
        try
        {
            ProfileFile file = new DeserializerBuilder().Build().Deserialize<ProfileFile?>(File.ReadAllText(Path)) ?? new ProfileFile();
            file.Profiles ??= new(StringComparer.Ordinal);
            return file;
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new CliException($"cannot read {Path}: {e.Message}");
        }
    }

    public void Save(ProfileFile file)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        string yaml = new SerializerBuilder().ConfigureDefaultValuesHandling(DefaultValuesHandling.OmitNull).Build().Serialize(file);
        string temporary = Path + ".tmp";
        File.WriteAllText(temporary, yaml);
        File.Move(temporary, Path, overwrite: true);
    }
}
