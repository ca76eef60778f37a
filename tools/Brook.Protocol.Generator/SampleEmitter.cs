namespace Brook.Protocol.Generator;

/// <summary>
/// Writes the test-support file that fills every message with non-default values in every
/// field a version has: two elements per array, nullable fields set, tagged fields set and one
/// unknown tagged field per struct in flexible versions.
/// </summary>
internal sealed class SampleEmitter
{
    /// <summary>A tag no spec uses, for the unknown tagged field the samples carry.</summary>
    public const int UnknownTag = 90;

    private readonly CodeWriter _w = new();
    private int _counter;

    public static string Emit(List<MessageModel> models)
    {
        var emitter = new SampleEmitter();
        emitter.EmitFile(models);
        return emitter._w.ToString();
    }

    private void EmitFile(List<MessageModel> models)
    {
        GeneratedHeader.Write(_w);
        _w.Line("using Brook.Protocol.Messages;");
        _w.Line("using Brook.Protocol.Primitives;");
        _w.Line();
        _w.Line("namespace Brook.Protocol.Tests.Generated;");
        _w.Line();
        _w.Summary("Every spec with sample values for every field of every version (generated with the messages).");
        _w.Open("internal static class MessageSamples");
        _w.Open("public static readonly (string Name, short Lowest, short Highest)[] Specs =");
        foreach (var model in models)
        {
            _w.Line($"({CodeWriter.Literal(model.Spec.Name)}, {model.Spec.ValidVersions.Min}, {model.Spec.ValidVersions.Max}),");
        }
        _w.Close(";");
        _w.Line();
        _w.Open("public static IProtocolMessage CreateEmpty(string name) => name switch");
        foreach (var model in models)
        {
            _w.Line($"{CodeWriter.Literal(model.Spec.Name)} => new {model.Spec.Name}(),");
        }
        _w.Line("_ => throw new ArgumentOutOfRangeException(nameof(name), name, \"unknown spec\"),");
        _w.Close(";");
        _w.Line();
        _w.Summary("A message with every field of the version set; with nulls, every field nullable in the version is null instead.");
        _w.Open("public static IProtocolMessage CreateFilled(string name, short version, bool nulls = false) => name switch");
        foreach (var model in models)
        {
            _w.Line($"{CodeWriter.Literal(model.Spec.Name)} => {FillName(model, model.Top)}(new {model.Spec.Name}(), version, 0, nulls),");
        }
        _w.Line("_ => throw new ArgumentOutOfRangeException(nameof(name), name, \"unknown spec\"),");
        _w.Close(";");
        foreach (var model in models)
        {
            foreach (var owner in model.AllStructs)
            {
                _w.Line();
                EmitFill(model, owner);
            }
        }
        _w.Close();
    }

    private static string FillName(MessageModel model, StructSpec owner) =>
        owner == model.Top ? $"Fill{model.Spec.Name}" : $"Fill{model.Spec.Name}{owner.ClassName}";

    private static string ClassOf(MessageModel model, StructSpec owner) =>
        owner == model.Top ? model.Spec.Name : $"{model.Spec.Name}.{owner.ClassName}";

    private void EmitFill(MessageModel model, StructSpec owner)
    {
        var valid = model.Spec.ValidVersions;
        string type = ClassOf(model, owner);
        _w.Open($"private static {type} {FillName(model, owner)}({type} target, short version, int seed, bool nulls)");
        foreach (var field in owner.Fields)
        {
            string present = field.Versions.Condition(valid);
            string value = Value(model, field);
            if (field.HasNullableVersions)
            {
                string nullable = field.NullableVersions.Condition(field.Versions.Intersect(valid));
                string nullValue = field.Kind is FieldKind.Bytes or FieldKind.Records ? "(ReadOnlyMemory<byte>?)null" : "null";
                value = $"{CodeWriter.And("nulls", nullable)} ? {nullValue} : {value}";
            }
            _w.If(present, () => _w.Line($"target.{field.Name} = {value};"));
        }
        if (!model.Spec.FlexibleVersions.Intersect(valid).IsEmpty)
        {
            string flexible = model.Spec.FlexibleVersions.Condition(valid);
            _w.If(flexible, () => _w.Line($"target.UnknownTaggedFields = new List<RawTaggedField> {{ new RawTaggedField({UnknownTag}, new byte[] {{ 7, 8, 9 }}) }};"));
        }
        _w.Line("return target;");
        _w.Close();
    }

    private string Value(MessageModel model, FieldSpec field)
    {
        int k = NextNumber(field);
        if (field.Kind == FieldKind.Array)
        {
            string elementType = field.ElementKind == FieldKind.Struct ? ClassOf(model, model.StructOf(field)) : FieldCode.ElementType(model, field);
            return $"new List<{elementType}> {{ {Element(model, field, k, "seed + 1")}, {Element(model, field, k, "seed + 2")} }}";
        }
        if (field.Kind == FieldKind.Struct)
        {
            var owner = model.StructOf(field);
            return $"{FillName(model, owner)}(new {ClassOf(model, owner)}(), version, seed + 1, nulls)";
        }
        if (field.Kind == FieldKind.Bool)
        {
            return FieldCode.DefaultValue(field) == "true" ? "false" : "true";
        }
        return Scalar(field.Kind, k, "seed");
    }

    private static string Element(MessageModel model, FieldSpec field, int k, string seed)
    {
        if (field.ElementKind == FieldKind.Struct)
        {
            var owner = model.StructOf(field);
            return $"{FillName(model, owner)}(new {ClassOf(model, owner)}(), version, {seed}, nulls)";
        }
        return field.ElementKind == FieldKind.Bool ? "true" : Scalar(field.ElementKind, k, seed);
    }

    private static string Scalar(FieldKind kind, int k, string seed) => kind switch
    {
        FieldKind.Int8 => $"(sbyte)({k} + {seed})",
        FieldKind.Int16 => $"(short)({k} + {seed})",
        FieldKind.UInt16 => $"(ushort)({k} + {seed})",
        FieldKind.Int32 => $"{k} + {seed}",
        FieldKind.UInt32 => $"(uint)({k} + {seed})",
        FieldKind.Int64 => $"{k}L + {seed}",
        FieldKind.Float64 => $"{k}.5 + {seed}",
        FieldKind.Uuid => $"new Uuid({k}UL, (ulong)({seed}) + 1UL)",
        FieldKind.String => $"\"s{k}-\u00e9\" + {seed}",
        FieldKind.Bytes => $"new ReadOnlyMemory<byte>(new byte[] {{ {k}, (byte)({seed}), 0xFF }})",
        FieldKind.Records => $"new ReadOnlyMemory<byte>(new byte[] {{ 0, 0, 0, {k}, (byte)({seed}) }})",
        _ => throw new InvalidOperationException($"no sample for {kind}"),
    };

    /// <summary>A small number per field (10..98), never the field's default for any seed used.</summary>
    private int NextNumber(FieldSpec field)
    {
        string defaultValue = FieldCode.DefaultValue(field);
        while (true)
        {
            int k = 10 + (_counter++ % 40 * 2);
            bool clash = false;
            for (int seed = 0; seed < 12; seed++)
            {
                clash |= defaultValue == (k + seed).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            if (!clash)
            {
                return k;
            }
        }
    }
}
