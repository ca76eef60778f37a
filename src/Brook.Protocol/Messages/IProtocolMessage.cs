using Brook.Protocol.Primitives;

namespace Brook.Protocol.Messages;

/// <summary>
/// What every generated struct (messages and the structs nested in them) can do: decode
/// itself from a reader (check <see cref="KafkaReader.Error"/> afterwards), encode itself, and
/// say how many bytes it encodes to in a version. Nested structs take the version of the
/// message that holds them.
/// </summary>
public interface IProtocolStruct
{
    /// <summary>Replaces every field with what the reader holds for <paramref name="version"/>.</summary>
    void Read(ref KafkaReader reader, short version);

    /// <summary>
    /// Writes the fields of <paramref name="version"/>. Throws <see cref="InvalidOperationException"/>
    /// when a non-ignorable field the version lacks holds a non-default value.
    /// </summary>
    void Write(ref KafkaWriter writer, short version);

    /// <summary>The exact number of bytes <see cref="Write"/> produces for <paramref name="version"/>.</summary>
    int ComputeSize(short version);
}

/// <summary>A top-level spec: a request or response body, a header or a data spec.</summary>
public interface IProtocolMessage : IProtocolStruct
{
    short LowestSupportedVersion { get; }
    short HighestSupportedVersion { get; }
}

/// <summary>A request or response body of one Kafka API.</summary>
public interface IApiMessage : IProtocolMessage
{
    ApiKey ApiKey { get; }
}
