using System.Globalization;
using System.Text.Json;

namespace Brook.Protocol.Generator;

/// <summary>The kind of value a field holds, from its spec type.</summary>
internal enum FieldKind
{
    Bool,
    Int8,
    Int16,
    UInt16,
    Int32,
    UInt32,
    Int64,
    Float64,
    Uuid,
    String,
    Bytes,
    Records,
    Struct,
    Array,
}

/// <summary>One field of a message spec.</summary>
internal sealed class FieldSpec
{
    public required string Name { get; init; }
    public required string Type { get; init; }
    public required VersionRange Versions { get; init; }
    public VersionRange NullableVersions { get; init; } = VersionRange.Empty;
    public VersionRange TaggedVersions { get; init; } = VersionRange.Empty;
    public int? Tag { get; init; }
    public string? Default { get; init; }
    public bool Ignorable { get; init; }
    public bool MapKey { get; init; }
    /// <summary>A field-level override of the message's flexible versions ("none" for the header's client_id).</summary>
    public VersionRange? FlexibleVersions { get; init; }
    public string? About { get; init; }
    public List<FieldSpec>? Fields { get; init; }

    public bool IsTagged => Tag.HasValue;
    public bool IsArray => Type.StartsWith("[]", StringComparison.Ordinal);
    public string ElementTypeName => IsArray ? Type[2..] : Type;
    public FieldKind Kind => IsArray ? FieldKind.Array : KindOf(Type);
    public FieldKind ElementKind => KindOf(ElementTypeName);
    public bool IsStructLike => KindOf(ElementTypeName) == FieldKind.Struct;
    public bool HasNullableVersions => !NullableVersions.IsEmpty;
    public bool DefaultIsNull => Default == "null";

    public static FieldKind KindOf(string type) => type switch
    {
        "bool" => FieldKind.Bool,
        "int8" => FieldKind.Int8,
        "int16" => FieldKind.Int16,
        "uint16" => FieldKind.UInt16,
        "int32" => FieldKind.Int32,
        "uint32" => FieldKind.UInt32,
        "int64" => FieldKind.Int64,
        "float64" => FieldKind.Float64,
        "uuid" => FieldKind.Uuid,
        "string" => FieldKind.String,
        "bytes" => FieldKind.Bytes,
        "records" => FieldKind.Records,
        _ when type.StartsWith("[]", StringComparison.Ordinal) => FieldKind.Array,
        _ => FieldKind.Struct,
    };
}

/// <summary>A struct: the message itself, a nested struct or a common struct.</summary>
internal sealed class StructSpec
{
    public required string SpecName { get; init; }
    /// <summary>The C# class name (the spec name, renamed only when it would clash).</summary>
    public required string ClassName { get; set; }
    public required List<FieldSpec> Fields { get; init; }
    public bool NeedsIsDefault { get; set; }
}

/// <summary>One spec file.</summary>
internal sealed class MessageSpec
{
    public required string FileName { get; init; }
    public required string Name { get; init; }
    /// <summary>request, response, header or data.</summary>
    public required string Type { get; init; }
    public short? ApiKey { get; init; }
    public required VersionRange ValidVersions { get; init; }
    public required VersionRange FlexibleVersions { get; init; }
    public required List<FieldSpec> Fields { get; init; }
    public required List<StructSpec> CommonStructs { get; init; }

    public static MessageSpec Load(string path)
    {
        var options = new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
        using var document = JsonDocument.Parse(File.ReadAllText(path), options);
        var root = document.RootElement;
        var common = new List<StructSpec>();
        if (root.TryGetProperty("commonStructs", out var commons))
        {
            foreach (var element in commons.EnumerateArray())
            {
                string name = element.GetProperty("name").GetString()!;
                common.Add(new StructSpec { SpecName = name, ClassName = name, Fields = ParseFields(element) });
            }
        }
        return new MessageSpec
        {
            FileName = Path.GetFileNameWithoutExtension(path),
            Name = root.GetProperty("name").GetString()!,
            Type = root.GetProperty("type").GetString()!,
            ApiKey = Text(root, "apiKey") is { } key ? short.Parse(key, CultureInfo.InvariantCulture) : null,
            ValidVersions = VersionRange.Parse(Text(root, "validVersions")),
            FlexibleVersions = VersionRange.Parse(Text(root, "flexibleVersions")),
            Fields = ParseFields(root),
            CommonStructs = common,
        };
    }

    private static List<FieldSpec> ParseFields(JsonElement owner)
    {
        var fields = new List<FieldSpec>();
        if (!owner.TryGetProperty("fields", out var array))
        {
            return fields;
        }
        foreach (var element in array.EnumerateArray())
        {
            fields.Add(ParseField(element));
        }
        return fields;
    }

    private static FieldSpec ParseField(JsonElement element)
    {
        string? flexible = Text(element, "flexibleVersions");
        return new FieldSpec
        {
            Name = Text(element, "name")!,
            Type = Text(element, "type")!.Trim(),
            Versions = VersionRange.Parse(Text(element, "versions")),
            NullableVersions = VersionRange.Parse(Text(element, "nullableVersions")),
            TaggedVersions = VersionRange.Parse(Text(element, "taggedVersions")),
            Tag = Text(element, "tag") is { } tag ? int.Parse(tag, CultureInfo.InvariantCulture) : null,
            Default = Text(element, "default"),
            Ignorable = Text(element, "ignorable") == "true",
            MapKey = Text(element, "mapKey") == "true",
            FlexibleVersions = flexible is null ? null : VersionRange.Parse(flexible),
            About = Text(element, "about"),
            Fields = element.TryGetProperty("fields", out _) ? ParseFields(element) : null,
        };
    }

    /// <summary>The last value of a property (a few specs repeat a key; the last one wins).</summary>
    private static JsonElement? Last(JsonElement element, string name)
    {
        JsonElement? found = null;
        foreach (var property in element.EnumerateObject())
        {
            if (property.NameEquals(name))
            {
                found = property.Value;
            }
        }
        return found;
    }

    /// <summary>A property as text; numbers and booleans as their JSON text (defaults may be either).</summary>
    private static string? Text(JsonElement element, string name) => Last(element, name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } value => value.GetString(),
        { ValueKind: JsonValueKind.Number } value => value.GetRawText(),
        { ValueKind: JsonValueKind.True } => "true",
        { ValueKind: JsonValueKind.False } => "false",
        { } value => throw new InvalidDataException($"unexpected JSON for '{name}': {value.GetRawText()}"),
    };

    public static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);
}
