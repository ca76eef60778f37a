namespace Brook.Protocol.Primitives;

/// <summary>
/// A tagged field this code does not know, kept so it can be written back unchanged.
/// <see cref="Data"/> is a slice of the input it was read from.
/// </summary>
public readonly record struct RawTaggedField(int Tag, ReadOnlyMemory<byte> Data);
