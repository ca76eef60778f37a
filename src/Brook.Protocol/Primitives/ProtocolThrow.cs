using System.Diagnostics.CodeAnalysis;

namespace Brook.Protocol.Primitives;

/// <summary>Throw helpers for encoding bugs, kept out of line so the writers stay small.</summary>
public static class ProtocolThrow
{
    [DoesNotReturn]
    public static void NullNotAllowed(string what) =>
        throw new InvalidOperationException($"A null {what} cannot be written where the version does not allow null.");

    [DoesNotReturn]
    public static void StringTooLong(int byteCount) =>
        throw new InvalidOperationException($"A string of {byteCount} UTF-8 bytes does not fit an int16 length.");

    [DoesNotReturn]
    public static void FieldNotSupported(string message, string field, short version) =>
        throw new InvalidOperationException(
            $"{message}.{field} has a non-default value, but version {version} has no such field and it is not ignorable.");
}
