namespace Brook.Protocol.Generator;

/// <summary>
/// A spec resolved for emission: the top-level struct, every nested and common struct with
/// its C# class name, and which structs need an <c>IsDefault()</c> check.
/// </summary>
internal sealed class MessageModel
{
    private static readonly string[] ReservedMemberNames =
    [
        "ApiKey", "Read", "Write", "ComputeSize", "UnknownTaggedFields", "IsDefault",
        "LowestSupportedVersion", "HighestSupportedVersion", "FirstFlexibleVersion",
    ];

    private readonly Dictionary<string, StructSpec> _bySpecName = new(StringComparer.Ordinal);

    public MessageModel(MessageSpec spec)
    {
        Spec = spec;
        Top = new StructSpec { SpecName = spec.Name, ClassName = spec.Name, Fields = spec.Fields };
        foreach (var common in spec.CommonStructs)
        {
            Define(common);
            Collect(common.Fields);
        }
        Collect(spec.Fields);
        CheckReferences(Top);
        foreach (var nested in Nested)
        {
            CheckReferences(nested);
        }
        AssignClassNames();
        MarkStructsNeedingIsDefault();
    }

    public MessageSpec Spec { get; }
    public StructSpec Top { get; }
    /// <summary>Nested classes in the order the spec defines them (common structs first).</summary>
    public List<StructSpec> Nested { get; } = [];
    public IEnumerable<StructSpec> AllStructs => Nested.Prepend(Top);
    public bool IsApi => Spec.Type is "request" or "response";

    public StructSpec StructOf(FieldSpec field) => _bySpecName[field.ElementTypeName];

    private void Define(StructSpec structSpec)
    {
        if (!_bySpecName.TryAdd(structSpec.SpecName, structSpec))
        {
            throw new InvalidDataException($"{Spec.FileName}: struct {structSpec.SpecName} is defined twice");
        }
        Nested.Add(structSpec);
    }

    private void Collect(List<FieldSpec> fields)
    {
        foreach (var field in fields)
        {
            if (field.IsTagged && !field.TaggedVersions.Equals(field.Versions))
            {
                throw new InvalidDataException($"{Spec.FileName}: {field.Name} is tagged in only some of its versions, which this generator does not support");
            }
            if (!field.IsStructLike || field.Fields is null)
            {
                continue;
            }
            Define(new StructSpec { SpecName = field.ElementTypeName, ClassName = field.ElementTypeName, Fields = field.Fields });
            Collect(field.Fields);
        }
    }

    private void CheckReferences(StructSpec owner)
    {
        foreach (var field in owner.Fields)
        {
            if (field.IsStructLike && !_bySpecName.ContainsKey(field.ElementTypeName))
            {
                throw new InvalidDataException($"{Spec.FileName}: {owner.SpecName}.{field.Name} uses unknown struct {field.ElementTypeName}");
            }
        }
    }

    /// <summary>
    /// Nested classes live inside the message class, so a struct named like a top-level
    /// property (DescribeTopicPartitions' Cursor) or a generated member gets a "Data" suffix.
    /// </summary>
    private void AssignClassNames()
    {
        var taken = new HashSet<string>(ReservedMemberNames, StringComparer.Ordinal) { Spec.Name };
        foreach (var field in Spec.Fields)
        {
            taken.Add(field.Name);
        }
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var nested in Nested)
        {
            bool ownFieldClash = nested.Fields.Exists(f => f.Name == nested.SpecName);
            if (taken.Contains(nested.SpecName) || ownFieldClash)
            {
                nested.ClassName = nested.SpecName + "Data";
            }
            if (!used.Add(nested.ClassName) || taken.Contains(nested.ClassName))
            {
                throw new InvalidDataException($"{Spec.FileName}: class name {nested.ClassName} clashes");
            }
        }
    }

    /// <summary>Structs held directly (not in arrays) with a non-null default are compared with their default.</summary>
    private void MarkStructsNeedingIsDefault()
    {
        var pending = new Stack<StructSpec>(AllStructs);
        while (pending.TryPop(out var owner))
        {
            foreach (var field in owner.Fields)
            {
                if (field.Kind == FieldKind.Struct && !field.DefaultIsNull)
                {
                    var target = StructOf(field);
                    if (!target.NeedsIsDefault)
                    {
                        target.NeedsIsDefault = true;
                        pending.Push(target);
                    }
                }
            }
        }
    }
}
