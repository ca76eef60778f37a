namespace Brook.Protocol.Primitives;

/// <summary>
/// Why a <see cref="KafkaReader"/> stopped. The reader keeps the first error it meets and
/// returns defaults from then on, so a parser checks once at the end instead of after every field.
/// </summary>
public enum ProtocolReadError : byte
{
    None = 0,
    /// <summary>The input ended inside a fixed-size value or varint.</summary>
    Truncated,
    /// <summary>A length or count below -1, or -1 where the encoding has no null.</summary>
    NegativeLength,
    /// <summary>A varint longer than its type allows.</summary>
    InvalidVarint,
    /// <summary>A length or count that exceeds the bytes left in the input.</summary>
    LengthTooLarge,
    /// <summary>A null string, bytes, array or struct where the version does not allow null.</summary>
    UnexpectedNull,
    /// <summary>A known tagged field whose value did not fill exactly its declared size.</summary>
    TaggedFieldSizeMismatch,
    /// <summary>The caller found the message invalid after decoding (for example, trailing bytes).</summary>
    InvalidMessage,
}
