using System.Buffers.Binary;
using System.Globalization;

namespace Brook.Protocol.Primitives;

/// <summary>
/// Kafka's 128-bit id (topic ids, directory ids, ...). Kept as two big-endian halves, exactly
/// as on the wire, rather than as <see cref="Guid"/>, whose byte order differs by platform
/// and constructor. <see cref="ToString"/> gives Kafka's form: URL-safe base64 without padding.
/// </summary>
public readonly struct Uuid : IEquatable<Uuid>
{
    public const int Size = 16;

    /// <summary>All zeros: Kafka's "no id".</summary>
    public static readonly Uuid Zero;

    public Uuid(ulong mostSignificantBits, ulong leastSignificantBits)
    {
        MostSignificantBits = mostSignificantBits;
        LeastSignificantBits = leastSignificantBits;
    }

    public ulong MostSignificantBits { get; }
    public ulong LeastSignificantBits { get; }
    public bool IsZero => MostSignificantBits == 0 && LeastSignificantBits == 0;

    /// <summary>Reads 16 wire bytes (big-endian halves).</summary>
    public static Uuid Read(ReadOnlySpan<byte> source) =>
        new(BinaryPrimitives.ReadUInt64BigEndian(source), BinaryPrimitives.ReadUInt64BigEndian(source[8..]));

    /// <summary>Writes the 16 wire bytes.</summary>
    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, MostSignificantBits);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], LeastSignificantBits);
    }

    /// <summary>A random version-4 id, as Kafka makes topic ids.</summary>
    public static Uuid NewRandom()
    {
        Span<byte> bytes = stackalloc byte[Size];
        Random.Shared.NextBytes(bytes);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return Read(bytes);
    }

    /// <summary>Parses Kafka's base64 form (22 URL-safe characters).</summary>
    public static bool TryParse(string? text, out Uuid value)
    {
        value = Zero;
        if (text is null || text.Length != 22)
        {
            return false;
        }
        string padded = text.Replace('-', '+').Replace('_', '/') + "==";
        Span<byte> bytes = stackalloc byte[18];
        if (!Convert.TryFromBase64String(padded, bytes, out int written) || written != Size)
        {
            return false;
        }
        value = Read(bytes);
        return true;
    }

    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[Size];
        Write(bytes);
        return Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>The 32 hex digits, for logs that want a fixed-width form.</summary>
    public string ToHexString() =>
        MostSignificantBits.ToString("x16", CultureInfo.InvariantCulture) + LeastSignificantBits.ToString("x16", CultureInfo.InvariantCulture);

    public bool Equals(Uuid other) =>
        MostSignificantBits == other.MostSignificantBits && LeastSignificantBits == other.LeastSignificantBits;

    public override bool Equals(object? obj) => obj is Uuid other && Equals(other);
    public override int GetHashCode() => HashCode.Combine(MostSignificantBits, LeastSignificantBits);
    public static bool operator ==(Uuid left, Uuid right) => left.Equals(right);
    public static bool operator !=(Uuid left, Uuid right) => !left.Equals(right);
}
