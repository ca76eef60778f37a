namespace Brook.Protocol.Generator;

/// <summary>Writes the C# class of one spec: properties, Read, Write, ComputeSize and nested structs.</summary>
internal sealed class MessageEmitter
{
    private readonly MessageModel _model;
    private readonly CodeWriter _w = new();
    private readonly VersionRange _valid;
    private readonly VersionRange _flexible;

    private MessageEmitter(MessageModel model)
    {
        _model = model;
        _valid = model.Spec.ValidVersions;
        _flexible = model.Spec.FlexibleVersions;
    }

    public static string Emit(MessageModel model)
    {
        var emitter = new MessageEmitter(model);
        emitter.EmitFile();
        return emitter._w.ToString();
    }

    private bool HasFlexibleVersions => !_flexible.Intersect(_valid).IsEmpty;
    private string FlexibleCondition => _flexible.Condition(_valid);

    private void EmitFile()
    {
        var spec = _model.Spec;
        GeneratedHeader.Write(_w);
        _w.Line("using Brook.Protocol.Primitives;");
        _w.Line();
        _w.Line("namespace Brook.Protocol.Messages;");
        _w.Line();
        string kind = spec.Type switch
        {
            "request" => $"The {spec.Name[..^"Request".Length]} request (API key {spec.ApiKey})",
            "response" => $"The {spec.Name[..^"Response".Length]} response (API key {spec.ApiKey})",
            "header" => $"The {spec.Name}",
            _ => $"The {spec.Name} data structure",
        };
        _w.Summary($"{kind}, versions {spec.ValidVersions}, flexible {spec.FlexibleVersions}.");
        string interfaceName = _model.IsApi ? "IApiMessage" : "IProtocolMessage";
        _w.Open($"public sealed class {spec.Name} : {interfaceName}");
        _w.Line($"public const short LowestSupportedVersion = {_valid.Min};");
        _w.Line($"public const short HighestSupportedVersion = {_valid.Max};");
        _w.Summary("The first version that uses compact encodings and tagged fields, or -1 when none does.");
        _w.Line($"public const short FirstFlexibleVersion = {(HasFlexibleVersions ? _flexible.Min : -1)};");
        _w.Line();
        if (_model.IsApi)
        {
            _w.Line($"public global::Brook.Protocol.Messages.ApiKey ApiKey => global::Brook.Protocol.Messages.ApiKey.{ApiKeyName(spec)};");
        }
        _w.Line("short IProtocolMessage.LowestSupportedVersion => LowestSupportedVersion;");
        _w.Line("short IProtocolMessage.HighestSupportedVersion => HighestSupportedVersion;");
        _w.Line();
        EmitStructBody(_model.Top);
        foreach (var nested in _model.Nested)
        {
            _w.Line();
            _w.Open($"public sealed class {nested.ClassName} : IProtocolStruct");
            EmitStructBody(nested);
            _w.Close();
        }
        _w.Close();
    }

    public static string ApiKeyName(MessageSpec spec) =>
        spec.Type == "request" ? spec.Name[..^"Request".Length] : spec.Name[..^"Response".Length];

    private void EmitStructBody(StructSpec owner)
    {
        foreach (var field in owner.Fields)
        {
            _w.Summary(field.About);
            string initializer = FieldCode.IsImplicitDefault(field) ? string.Empty : $" = {FieldCode.DefaultValue(field)};";
            _w.Line($"public {FieldCode.CsType(_model, field)} {field.Name} {{ get; set; }}{initializer}");
        }
        if (HasFlexibleVersions)
        {
            _w.Summary("Tagged fields this code does not know; written back in tag order.");
            _w.Line("public List<RawTaggedField>? UnknownTaggedFields { get; set; }");
        }
        _w.Line();
        EmitRead(owner);
        _w.Line();
        EmitWrite(owner);
        _w.Line();
        EmitComputeSize(owner);
        if (owner.NeedsIsDefault)
        {
            _w.Line();
            EmitIsDefault(owner);
        }
        if (owner.Fields.Exists(f => f.MapKey))
        {
            _w.Line();
            EmitFindByMapKey(owner);
        }
    }

    /// <summary>Kafka keys these collections by their mapKey fields; a linear look-up is enough for lists this size.</summary>
    private void EmitFindByMapKey(StructSpec owner)
    {
        var keys = owner.Fields.FindAll(f => f.MapKey);
        string parameters = string.Join(", ", keys.Select(k => $"{FieldCode.CsType(_model, k)} {ParameterName(k)}"));
        string match = string.Join(" && ", keys.Select(k => $"element.{k.Name} == {ParameterName(k)}"));
        _w.Summary($"The first element of the list whose map key ({string.Join(", ", keys.Select(k => k.Name))}) matches, or null.");
        _w.Open($"public static {owner.ClassName}? Find(List<{owner.ClassName}> list, {parameters})");
        _w.Line("ArgumentNullException.ThrowIfNull(list);");
        _w.Open("foreach (var element in list)");
        _w.Open($"if ({match})");
        _w.Line("return element;");
        _w.Close();
        _w.Close();
        _w.Line("return null;");
        _w.Close();
    }

    private static string ParameterName(FieldSpec field) => char.ToLowerInvariant(field.Name[0]) + field.Name[1..] + "Key";

    private VersionRange FieldContext(FieldSpec field) => field.Versions.Intersect(_valid);
    private string Present(FieldSpec field) => field.Versions.Condition(_valid);
    private string Compact(FieldSpec field) => (field.FlexibleVersions ?? _flexible).Condition(FieldContext(field));
    private string NullableHere(FieldSpec field) => field.NullableVersions.Condition(FieldContext(field));

    private List<FieldSpec> TaggedFields(StructSpec owner)
    {
        var tagged = owner.Fields.FindAll(f => f.IsTagged && Present(f) != "false");
        tagged.Sort((a, b) => a.Tag!.Value.CompareTo(b.Tag!.Value));
        return tagged;
    }

    // ---------------------------------------------------------------- Read

    private void EmitRead(StructSpec owner)
    {
        _w.Open("public void Read(ref KafkaReader reader, short version)");
        if (HasFlexibleVersions)
        {
            _w.Line("UnknownTaggedFields = null;");
        }
        foreach (var field in owner.Fields)
        {
            string present = Present(field);
            if (field.IsTagged || present == "false")
            {
                _w.Line($"{field.Name} = {FieldCode.DefaultValue(field)};");
                continue;
            }
            _w.IfElse(present, () => EmitReadValue(field, field.Name), () => _w.Line($"{field.Name} = {FieldCode.DefaultValue(field)};"));
        }
        if (HasFlexibleVersions)
        {
            _w.If(FlexibleCondition, () => EmitReadTaggedSection(owner));
        }
        _w.Close();
    }

    private void EmitReadTaggedSection(StructSpec owner)
    {
        _w.Line("int taggedCount = reader.ReadTaggedFieldCount();");
        _w.Open("for (int t = 0; t < taggedCount && !reader.HasError; t++)");
        _w.Line("int tag = (int)reader.ReadUnsignedVarint();");
        _w.Line("int size = reader.ReadTaggedFieldSize();");
        string prefix = "if";
        foreach (var field in TaggedFields(owner))
        {
            string condition = CodeWriter.And($"tag == {field.Tag}", Present(field));
            _w.Open($"{prefix} ({condition})");
            _w.Line("int end = reader.Position + size;");
            EmitReadValue(field, field.Name);
            _w.Line("reader.EndTaggedField(end);");
            _w.Close();
            prefix = "else if";
        }
        if (prefix == "if")
        {
            _w.Line("UnknownTaggedFields = reader.ReadUnknownTaggedField(UnknownTaggedFields, tag, size);");
        }
        else
        {
            _w.Open("else");
            _w.Line("UnknownTaggedFields = reader.ReadUnknownTaggedField(UnknownTaggedFields, tag, size);");
            _w.Close();
        }
        _w.Close();
    }

    private void EmitReadValue(FieldSpec field, string target)
    {
        string compact = Compact(field);
        string nullable = NullableHere(field);
        switch (field.Kind)
        {
            case FieldKind.String:
                _w.Line($"{target} = {NullableRead(field, nullable, "String", compact)};");
                break;
            case FieldKind.Bytes:
                _w.Line($"{target} = {NullableRead(field, nullable, "Bytes", compact)};");
                break;
            case FieldKind.Records:
                _w.Line($"{target} = reader.ReadRecords({compact});");
                break;
            case FieldKind.Struct:
                EmitReadStruct(field, target, nullable);
                break;
            case FieldKind.Array:
                EmitReadArray(field, target, compact, nullable);
                break;
            default:
                _w.Line($"{target} = reader.Read{FieldCode.PrimitiveMethod(field.Kind)}();");
                break;
        }
    }

    private static string NullableRead(FieldSpec field, string nullable, string what, string compact) =>
        field.HasNullableVersions
            ? CodeWriter.Ternary(nullable, $"reader.ReadNullable{what}({compact})", $"reader.Read{what}({compact})")
            : $"reader.Read{what}({compact})";

    private void EmitReadStruct(FieldSpec field, string target, string nullable)
    {
        string className = _model.StructOf(field).ClassName;
        void ReadInto()
        {
            _w.Line($"var item = new {className}();");
            _w.Line("item.Read(ref reader, version);");
            _w.Line($"{target} = item;");
        }
        if (!field.HasNullableVersions || nullable == "false")
        {
            _w.OpenScope();
            ReadInto();
            _w.Close();
            return;
        }
        string present = nullable == "true" ? "reader.ReadStructPresence()" : $"!({nullable}) || reader.ReadStructPresence()";
        _w.Open($"if ({present})");
        ReadInto();
        _w.Close();
        _w.Open("else");
        _w.Line($"{target} = null;");
        _w.Close();
    }

    private void EmitReadArray(FieldSpec field, string target, string compact, string nullable)
    {
        string elementType = FieldCode.ElementType(_model, field);
        string countRead = field.HasNullableVersions
            ? CodeWriter.Ternary(nullable, $"reader.ReadNullableArrayCount({compact})", $"reader.ReadArrayCount({compact})")
            : $"reader.ReadArrayCount({compact})";
        _w.OpenScope();
        _w.Line($"int count = {countRead};");
        bool mayBeNull = field.HasNullableVersions && nullable != "false";
        if (mayBeNull)
        {
            _w.Open("if (count < 0)");
            _w.Line($"{target} = null;");
            _w.Close();
            _w.Open("else");
        }
        _w.Line($"var list = new List<{elementType}>(count);");
        _w.Open("for (int i = 0; i < count && !reader.HasError; i++)");
        switch (field.ElementKind)
        {
            case FieldKind.Struct:
                _w.Line($"var item = new {elementType}();");
                _w.Line("item.Read(ref reader, version);");
                _w.Line("list.Add(item);");
                break;
            case FieldKind.String:
                _w.Line($"list.Add(reader.ReadString({compact}));");
                break;
            case FieldKind.Bytes:
                _w.Line($"list.Add(reader.ReadBytes({compact}));");
                break;
            default:
                _w.Line($"list.Add(reader.Read{FieldCode.PrimitiveMethod(field.ElementKind)}());");
                break;
        }
        _w.Close();
        _w.Line($"{target} = list;");
        if (mayBeNull)
        {
            _w.Close();
        }
        _w.Close();
    }

    // ---------------------------------------------------------------- Write

    private void EmitWrite(StructSpec owner)
    {
        _w.Open("public void Write(ref KafkaWriter writer, short version)");
        foreach (var field in owner.Fields)
        {
            string present = Present(field);
            if (field.IsTagged)
            {
                if (!field.Ignorable && present != "true")
                {
                    EmitNotSupportedCheck(owner, field, CodeWriter.Not(present));
                }
                continue;
            }
            if (field.Ignorable || present == "true")
            {
                _w.If(present, () => EmitWriteValue(field, field.Name));
                continue;
            }
            if (present == "false")
            {
                EmitNotSupportedCheck(owner, field, "true");
                continue;
            }
            _w.Open($"if ({present})");
            EmitWriteValue(field, field.Name);
            _w.Close();
            _w.Open($"else if ({FieldCode.NonDefault(field, field.Name)})");
            _w.Line(NotSupportedThrow(owner, field));
            _w.Close();
        }
        if (HasFlexibleVersions)
        {
            _w.If(FlexibleCondition, () => EmitWriteTaggedSection(owner));
        }
        _w.Close();
    }

    private void EmitNotSupportedCheck(StructSpec owner, FieldSpec field, string absent)
    {
        _w.Open($"if ({CodeWriter.And(absent, FieldCode.NonDefault(field, field.Name))})");
        _w.Line(NotSupportedThrow(owner, field));
        _w.Close();
    }

    private string NotSupportedThrow(StructSpec owner, FieldSpec field) =>
        $"ProtocolThrow.FieldNotSupported({CodeWriter.Literal(_model.Top.ClassName == owner.ClassName ? owner.ClassName : _model.Top.ClassName + "." + owner.ClassName)}, {CodeWriter.Literal(field.Name)}, version);";

    private void EmitWriteTaggedSection(StructSpec owner)
    {
        var tagged = TaggedFields(owner);
        if (tagged.Count == 0)
        {
            _w.Line("writer.WriteTaggedFields(UnknownTaggedFields);");
            return;
        }
        _w.Line("int taggedCount = UnknownTaggedFields?.Count ?? 0;");
        foreach (var field in tagged)
        {
            _w.Line($"bool write{field.Tag} = {CodeWriter.And(Present(field), FieldCode.NonDefault(field, field.Name))};");
            _w.Open($"if (write{field.Tag})");
            _w.Line("taggedCount++;");
            _w.Close();
        }
        _w.Line("writer.WriteUnsignedVarint((uint)taggedCount);");
        string from = "int.MinValue";
        foreach (var field in tagged)
        {
            _w.Line($"writer.WriteUnknownTaggedFields(UnknownTaggedFields, {from}, {field.Tag});");
            _w.Open($"if (write{field.Tag})");
            _w.Line($"int size{field.Tag} = 0;");
            EmitSizeValue(field, field.Name, $"size{field.Tag}");
            _w.Line($"writer.WriteTaggedFieldHeader({field.Tag}, size{field.Tag});");
            EmitWriteValue(field, field.Name);
            _w.Close();
            from = $"{field.Tag + 1}";
        }
        _w.Line($"writer.WriteUnknownTaggedFields(UnknownTaggedFields, {from}, int.MaxValue);");
    }

    private void EmitWriteValue(FieldSpec field, string value)
    {
        string compact = Compact(field);
        string nullable = NullableHere(field);
        switch (field.Kind)
        {
            case FieldKind.String:
                EmitNullableWrite(field, nullable, $"writer.WriteNullableString({value}, {compact});", $"writer.WriteString({value}, {compact});");
                break;
            case FieldKind.Bytes:
                EmitNullableWrite(field, nullable, $"writer.WriteNullableBytes({value}, {compact});", $"writer.WriteBytes({value}, {compact});");
                break;
            case FieldKind.Records:
                _w.Line($"writer.WriteRecords({value}, {compact});");
                break;
            case FieldKind.Struct:
                EmitWriteStruct(field, value, nullable);
                break;
            case FieldKind.Array:
                EmitWriteArray(field, value, compact, nullable);
                break;
            default:
                _w.Line($"writer.Write{FieldCode.PrimitiveMethod(field.Kind)}({value});");
                break;
        }
    }

    private void EmitNullableWrite(FieldSpec field, string nullable, string whenNullable, string otherwise)
    {
        if (!field.HasNullableVersions)
        {
            _w.Line(otherwise);
            return;
        }
        _w.IfElse(nullable, () => _w.Line(whenNullable), () => _w.Line(otherwise));
    }

    private void EmitNullHandling(FieldSpec field, string nullable, string writeNull)
    {
        _w.IfElse(field.HasNullableVersions ? nullable : "false",
            () => _w.Line(writeNull),
            () => _w.Line($"ProtocolThrow.NullNotAllowed({CodeWriter.Literal(field.Name)});"));
    }

    private void EmitWriteStruct(FieldSpec field, string value, string nullable)
    {
        if (!FieldCode.IsNullableType(field))
        {
            _w.Line($"{value}.Write(ref writer, version);");
            return;
        }
        _w.Open($"if ({value} is null)");
        EmitNullHandling(field, nullable, "writer.WriteStructPresence(false);");
        _w.Close();
        _w.Open("else");
        if (field.HasNullableVersions)
        {
            _w.If(nullable, () => _w.Line("writer.WriteStructPresence(true);"));
        }
        _w.Line($"{value}.Write(ref writer, version);");
        _w.Close();
    }

    private void EmitWriteArray(FieldSpec field, string value, string compact, string nullable)
    {
        void WriteElements()
        {
            _w.Line($"writer.WriteArrayCount({value}.Count, {compact});");
            _w.Open($"foreach (var element in {value})");
            switch (field.ElementKind)
            {
                case FieldKind.Struct:
                    _w.Line("element.Write(ref writer, version);");
                    break;
                case FieldKind.String:
                    _w.Line($"writer.WriteString(element, {compact});");
                    break;
                case FieldKind.Bytes:
                    _w.Line($"writer.WriteBytes(element, {compact});");
                    break;
                default:
                    _w.Line($"writer.Write{FieldCode.PrimitiveMethod(field.ElementKind)}(element);");
                    break;
            }
            _w.Close();
        }
        if (!FieldCode.IsNullableType(field))
        {
            WriteElements();
            return;
        }
        _w.Open($"if ({value} is null)");
        EmitNullHandling(field, nullable, $"writer.WriteArrayCount(-1, {compact});");
        _w.Close();
        _w.Open("else");
        WriteElements();
        _w.Close();
    }

    // ---------------------------------------------------------------- ComputeSize

    private void EmitComputeSize(StructSpec owner)
    {
        _w.Open("public int ComputeSize(short version)");
        _w.Line("int size = 0;");
        foreach (var field in owner.Fields)
        {
            if (!field.IsTagged)
            {
                _w.If(Present(field), () => EmitSizeValue(field, field.Name, "size"));
            }
        }
        if (HasFlexibleVersions)
        {
            _w.If(FlexibleCondition, () =>
            {
                _w.Line("int taggedCount = UnknownTaggedFields?.Count ?? 0;");
                _w.Line("size += KafkaSize.UnknownTaggedFields(UnknownTaggedFields);");
                foreach (var field in TaggedFields(owner))
                {
                    _w.Open($"if ({CodeWriter.And(Present(field), FieldCode.NonDefault(field, field.Name))})");
                    _w.Line("taggedCount++;");
                    _w.Line("int fieldSize = 0;");
                    EmitSizeValue(field, field.Name, "fieldSize");
                    _w.Line($"size += KafkaSize.TaggedField({field.Tag}, fieldSize);");
                    _w.Close();
                }
                _w.Line("size += KafkaSize.UnsignedVarint((uint)taggedCount);");
            });
        }
        _w.Line("return size;");
        _w.Close();
    }

    private void EmitSizeValue(FieldSpec field, string value, string total)
    {
        string compact = Compact(field);
        string nullable = NullableHere(field);
        switch (field.Kind)
        {
            case FieldKind.String:
                _w.Line($"{total} += KafkaSize.String({value}, {compact});");
                break;
            case FieldKind.Bytes:
            case FieldKind.Records:
                _w.Line($"{total} += KafkaSize.Bytes({value}, {compact});");
                break;
            case FieldKind.Struct:
                if (!FieldCode.IsNullableType(field))
                {
                    _w.Line($"{total} += {value}.ComputeSize(version);");
                }
                else
                {
                    string marker = field.HasNullableVersions ? CodeWriter.Ternary(nullable, "1", "0") : "0";
                    _w.Line($"{total} += {marker} + ({value}?.ComputeSize(version) ?? 0);");
                }
                break;
            case FieldKind.Array:
                EmitSizeArray(field, value, total, compact);
                break;
            default:
                _w.Line($"{total} += {FieldCode.FixedSize(field.Kind)};");
                break;
        }
    }

    private void EmitSizeArray(FieldSpec field, string value, string total, string compact)
    {
        bool nullableType = FieldCode.IsNullableType(field);
        _w.Line($"{total} += KafkaSize.ArrayCount({value}{(nullableType ? "?.Count ?? -1" : ".Count")}, {compact});");
        void Elements()
        {
            int fixedSize = FieldCode.FixedSize(field.ElementKind);
            if (fixedSize > 0)
            {
                _w.Line($"{total} += {value}.Count * {fixedSize};");
                return;
            }
            _w.Open($"foreach (var element in {value})");
            _w.Line(field.ElementKind switch
            {
                FieldKind.Struct => $"{total} += element.ComputeSize(version);",
                FieldKind.String => $"{total} += KafkaSize.String(element, {compact});",
                _ => $"{total} += KafkaSize.Bytes(element, {compact});",
            });
            _w.Close();
        }
        if (nullableType)
        {
            _w.Open($"if ({value} is not null)");
            Elements();
            _w.Close();
        }
        else
        {
            Elements();
        }
    }

    // ---------------------------------------------------------------- IsDefault

    private void EmitIsDefault(StructSpec owner)
    {
        _w.Summary("True when every field holds its spec default (tagged struct fields are written only otherwise).");
        _w.Open("public bool IsDefault()");
        foreach (var field in owner.Fields)
        {
            _w.Open($"if ({FieldCode.NonDefault(field, field.Name)})");
            _w.Line("return false;");
            _w.Close();
        }
        _w.Line(HasFlexibleVersions ? "return UnknownTaggedFields is not { Count: > 0 };" : "return true;");
        _w.Close();
    }
}
