using System.Globalization;

namespace Brook.Protocol.Generator;

/// <summary>The C# spelling of a field: its type, default value and default test.</summary>
internal static class FieldCode
{
    public static bool IsNullableType(FieldSpec field) => field.Kind switch
    {
        FieldKind.Records => true,
        FieldKind.String or FieldKind.Bytes or FieldKind.Struct or FieldKind.Array => field.HasNullableVersions || field.DefaultIsNull,
        _ => false,
    };

    public static string ElementType(MessageModel model, FieldSpec field) => FieldSpec.KindOf(field.ElementTypeName) switch
    {
        FieldKind.Struct => model.StructOf(field).ClassName,
        var kind => ScalarType(kind),
    };

    public static string ScalarType(FieldKind kind) => kind switch
    {
        FieldKind.Bool => "bool",
        FieldKind.Int8 => "sbyte",
        FieldKind.Int16 => "short",
        FieldKind.UInt16 => "ushort",
        FieldKind.Int32 => "int",
        FieldKind.UInt32 => "uint",
        FieldKind.Int64 => "long",
        FieldKind.Float64 => "double",
        FieldKind.Uuid => "Uuid",
        FieldKind.String => "string",
        FieldKind.Bytes => "ReadOnlyMemory<byte>",
        FieldKind.Records => "ReadOnlyMemory<byte>",
        _ => throw new InvalidOperationException($"no scalar type for {kind}"),
    };

    public static string CsType(MessageModel model, FieldSpec field)
    {
        string type = field.Kind == FieldKind.Array ? $"List<{ElementType(model, field)}>" : ElementType(model, field);
        return IsNullableType(field) ? type + "?" : type;
    }

    /// <summary>Encoded size of a fixed-width kind, or 0 when the size varies.</summary>
    public static int FixedSize(FieldKind kind) => kind switch
    {
        FieldKind.Bool or FieldKind.Int8 => 1,
        FieldKind.Int16 or FieldKind.UInt16 => 2,
        FieldKind.Int32 or FieldKind.UInt32 => 4,
        FieldKind.Int64 or FieldKind.Float64 => 8,
        FieldKind.Uuid => 16,
        _ => 0,
    };

    /// <summary>The KafkaReader/KafkaWriter method suffix of a fixed-width kind.</summary>
    public static string PrimitiveMethod(FieldKind kind) => kind switch
    {
        FieldKind.Bool => "Bool",
        FieldKind.Int8 => "Int8",
        FieldKind.Int16 => "Int16",
        FieldKind.UInt16 => "UInt16",
        FieldKind.Int32 => "Int32",
        FieldKind.UInt32 => "UInt32",
        FieldKind.Int64 => "Int64",
        FieldKind.Float64 => "Float64",
        FieldKind.Uuid => "Uuid",
        _ => throw new InvalidOperationException($"{kind} is not fixed-width"),
    };

    /// <summary>The default from the spec as a C# expression.</summary>
    public static string DefaultValue(FieldSpec field)
    {
        string? text = field.Default?.Trim();
        switch (field.Kind)
        {
            case FieldKind.Bool:
                return text == "true" ? "true" : "false";
            case FieldKind.Int8:
            case FieldKind.Int16:
            case FieldKind.UInt16:
            case FieldKind.Int32:
            case FieldKind.UInt32:
            case FieldKind.Int64:
                return ParseInteger(text ?? "0").ToString(CultureInfo.InvariantCulture);
            case FieldKind.Float64:
                return double.Parse(text ?? "0", CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture);
            case FieldKind.Uuid:
                return "Uuid.Zero";
            case FieldKind.String:
                return field.DefaultIsNull ? "null" : CodeWriter.Literal(text ?? string.Empty);
            case FieldKind.Bytes:
                return field.DefaultIsNull ? "null" : "ReadOnlyMemory<byte>.Empty";
            case FieldKind.Records:
                return "null";
            default:
                return field.DefaultIsNull ? "null" : "new()";
        }
    }

    /// <summary>True when the default is what C# gives a property anyway, so no initializer is needed.</summary>
    public static bool IsImplicitDefault(FieldSpec field) => DefaultValue(field) switch
    {
        "0" or "false" or "null" or "Uuid.Zero" => true,
        "ReadOnlyMemory<byte>.Empty" => !IsNullableType(field),
        _ => false,
    };

    private static long ParseInteger(string text)
    {
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            return long.Parse(text[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        }
        return long.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture);
    }

    /// <summary>A C# condition that is true when <paramref name="value"/> differs from the field's default.</summary>
    public static string NonDefault(FieldSpec field, string value)
    {
        switch (field.Kind)
        {
            case FieldKind.String:
                return field.DefaultIsNull ? $"{value} is not null" : $"{value} != {DefaultValue(field)}";
            case FieldKind.Bytes:
                if (field.DefaultIsNull)
                {
                    return $"{value} is not null";
                }
                return IsNullableType(field) ? $"{value} is not {{ IsEmpty: true }}" : $"!{value}.IsEmpty";
            case FieldKind.Records:
                return $"{value} is not null";
            case FieldKind.Struct:
                if (field.DefaultIsNull)
                {
                    return $"{value} is not null";
                }
                return IsNullableType(field) ? $"({value} is null || !{value}.IsDefault())" : $"!{value}.IsDefault()";
            case FieldKind.Array:
                return field.DefaultIsNull ? $"{value} is not null" : $"{value} is not {{ Count: 0 }}";
            default:
                return $"{value} != {DefaultValue(field)}";
        }
    }
}
