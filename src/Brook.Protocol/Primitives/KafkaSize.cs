using System.Text;

namespace Brook.Protocol.Primitives;

/// <summary>Encoded sizes of Kafka's primitives, matching what <see cref="KafkaWriter"/> writes.</summary>
public static class KafkaSize
{
    public static int UnsignedVarint(uint value) => value switch
    {
        < 1u << 7 => 1,
        < 1u << 14 => 2,
        < 1u << 21 => 3,
        < 1u << 28 => 4,
        _ => 5,
    };

    public static int UnsignedVarlong(ulong value)
    {
        int size = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            size++;
        }
        return size;
    }

    public static int Varint(int value) => UnsignedVarint((uint)((value << 1) ^ (value >> 31)));
    public static int Varlong(long value) => UnsignedVarlong((ulong)((value << 1) ^ (value >> 63)));

    private static int Length(int length, bool compact, bool wide) =>
        compact ? UnsignedVarint((uint)(length + 1)) : wide ? 4 : 2;

    public static int String(string? value, bool compact)
    {
        if (value is null)
        {
            return Length(-1, compact, wide: false);
        }
        int byteCount = Encoding.UTF8.GetByteCount(value);
        return Length(byteCount, compact, wide: false) + byteCount;
    }

    public static int Bytes(ReadOnlyMemory<byte>? value, bool compact) =>
        value is null ? Length(-1, compact, wide: true) : Length(value.Value.Length, compact, wide: true) + value.Value.Length;

    public static int ArrayCount(int count, bool compact) => Length(count, compact, wide: true);

    /// <summary>Size of the tag and size prefixes plus the value of one tagged field.</summary>
    public static int TaggedField(int tag, int size) => UnsignedVarint((uint)tag) + UnsignedVarint((uint)size) + size;

    /// <summary>Total size of unknown tagged fields (without the section count).</summary>
    public static int UnknownTaggedFields(List<RawTaggedField>? fields)
    {
        if (fields is null)
        {
            return 0;
        }
        int size = 0;
        foreach (var field in fields)
        {
            size += TaggedField(field.Tag, field.Data.Length);
        }
        return size;
    }
}
