using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;

namespace Brook.Protocol.Primitives;

/// <summary>
/// Reads Kafka's wire encodings from one contiguous input. Errors are sticky: the first
/// failure is kept in <see cref="Error"/>, the position jumps to the end, and every later read
/// returns a default, so a decoder checks once when it is done. No read allocates more than
/// the input can hold: a length or count larger than the bytes left is an error before any
/// allocation. <c>bytes</c>, <c>records</c> and unknown tagged fields come back as slices of
/// the input, never copied.
/// </summary>
public ref struct KafkaReader
{
    private readonly ReadOnlyMemory<byte> _memory;
    private readonly ReadOnlySpan<byte> _span;
    private int _position;
    private ProtocolReadError _error;

    public KafkaReader(ReadOnlyMemory<byte> input)
    {
        _memory = input;
        _span = input.Span;
    }

    /// <summary>
    /// A reader over a sequence: its first segment when that holds everything, otherwise one
    /// copy into a buffer rented from <see cref="ArrayPool{T}.Shared"/>. The caller returns
    /// <paramref name="rented"/> (when not null) after it is done with everything it decoded,
    /// because decoded <c>bytes</c>/<c>records</c> fields point into it.
    /// </summary>
    public static KafkaReader Create(in ReadOnlySequence<byte> input, out byte[]? rented)
    {
        if (input.IsSingleSegment)
        {
            rented = null;
            return new KafkaReader(input.First);
        }
        int length = checked((int)input.Length);
        rented = ArrayPool<byte>.Shared.Rent(length);
        input.CopyTo(rented);
        return new KafkaReader(rented.AsMemory(0, length));
    }

    public readonly ProtocolReadError Error => _error;
    public readonly bool HasError => _error != ProtocolReadError.None;
    public readonly int Position => _position;
    public readonly int Remaining => _span.Length - _position;
    /// <summary>True when every byte was consumed and nothing failed.</summary>
    public readonly bool IsCompleteWithoutError => _error == ProtocolReadError.None && _position == _span.Length;

    /// <summary>Records a failure (only the first one is kept) and stops all further reads.</summary>
    public void Fail(ProtocolReadError error)
    {
        if (_error == ProtocolReadError.None)
        {
            _error = error;
        }
        _position = _span.Length;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ReadOnlySpan<byte> Take(int count)
    {
        if ((uint)count > (uint)(_span.Length - _position))
        {
            Fail(ProtocolReadError.Truncated);
            return default;
        }
        var slice = _span.Slice(_position, count);
        _position += count;
        return slice;
    }

    public sbyte ReadInt8()
    {
        var s = Take(1);
        return s.IsEmpty ? (sbyte)0 : (sbyte)s[0];
    }

    public bool ReadBool()
    {
        var s = Take(1);
        return !s.IsEmpty && s[0] != 0;
    }

    public short ReadInt16()
    {
        var s = Take(2);
        return s.IsEmpty ? (short)0 : BinaryPrimitives.ReadInt16BigEndian(s);
    }

    public ushort ReadUInt16()
    {
        var s = Take(2);
        return s.IsEmpty ? (ushort)0 : BinaryPrimitives.ReadUInt16BigEndian(s);
    }

    public int ReadInt32()
    {
        var s = Take(4);
        return s.IsEmpty ? 0 : BinaryPrimitives.ReadInt32BigEndian(s);
    }

    public uint ReadUInt32()
    {
        var s = Take(4);
        return s.IsEmpty ? 0u : BinaryPrimitives.ReadUInt32BigEndian(s);
    }

    public long ReadInt64()
    {
        var s = Take(8);
        return s.IsEmpty ? 0L : BinaryPrimitives.ReadInt64BigEndian(s);
    }

    public double ReadFloat64()
    {
        var s = Take(8);
        return s.IsEmpty ? 0d : BinaryPrimitives.ReadDoubleBigEndian(s);
    }

    public Uuid ReadUuid()
    {
        var s = Take(Uuid.Size);
        return s.IsEmpty ? Uuid.Zero : Uuid.Read(s);
    }

    /// <summary>An unsigned LEB128 varint of at most 5 bytes (compact lengths, tags).</summary>
    public uint ReadUnsignedVarint()
    {
        uint value = 0;
        for (int shift = 0; shift < 35; shift += 7)
        {
            if (_position >= _span.Length)
            {
                Fail(ProtocolReadError.Truncated);
                return 0;
            }
            byte b = _span[_position++];
            if (shift == 28 && b > 0x0F)
            {
                Fail(ProtocolReadError.InvalidVarint);
                return 0;
            }
            value |= (uint)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }
        Fail(ProtocolReadError.InvalidVarint);
        return 0;
    }

    /// <summary>An unsigned varint of at most 10 bytes.</summary>
    public ulong ReadUnsignedVarlong()
    {
        ulong value = 0;
        for (int shift = 0; shift < 70; shift += 7)
        {
            if (_position >= _span.Length)
            {
                Fail(ProtocolReadError.Truncated);
                return 0;
            }
            byte b = _span[_position++];
            if (shift == 63 && b > 0x01)
            {
                Fail(ProtocolReadError.InvalidVarint);
                return 0;
            }
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }
        Fail(ProtocolReadError.InvalidVarint);
        return 0;
    }

    /// <summary>A zig-zag signed varint (record-level int32 values).</summary>
    public int ReadVarint()
    {
        uint raw = ReadUnsignedVarint();
        return (int)(raw >> 1) ^ -(int)(raw & 1);
    }

    /// <summary>A zig-zag signed varlong (record-level int64 values).</summary>
    public long ReadVarlong()
    {
        ulong raw = ReadUnsignedVarlong();
        return (long)(raw >> 1) ^ -(long)(raw & 1);
    }

    /// <summary>
    /// A length prefix: int16 or int32 when classic, uvarint N+1 when compact. Returns -1 for
    /// null, and fails when the length is below -1 or larger than the bytes left.
    /// </summary>
    private int ReadLength(bool compact, bool wide)
    {
        int length;
        if (compact)
        {
            uint raw = ReadUnsignedVarint();
            if (raw > int.MaxValue)
            {
                Fail(ProtocolReadError.LengthTooLarge);
                return 0;
            }
            length = (int)raw - 1;
        }
        else
        {
            length = wide ? ReadInt32() : ReadInt16();
        }
        if (length < -1)
        {
            Fail(ProtocolReadError.NegativeLength);
            return 0;
        }
        if (length > _span.Length - _position)
        {
            Fail(ProtocolReadError.LengthTooLarge);
            return 0;
        }
        return length;
    }

    private int ReadNonNullLength(bool compact, bool wide)
    {
        int length = ReadLength(compact, wide);
        if (length < 0)
        {
            Fail(ProtocolReadError.UnexpectedNull);
            return 0;
        }
        return length;
    }

    public string ReadString(bool compact)
    {
        int length = ReadNonNullLength(compact, wide: false);
        return length == 0 ? string.Empty : Encoding.UTF8.GetString(Take(length));
    }

    public string? ReadNullableString(bool compact)
    {
        int length = ReadLength(compact, wide: false);
        if (length < 0)
        {
            return null;
        }
        return length == 0 ? string.Empty : Encoding.UTF8.GetString(Take(length));
    }

    /// <summary>Non-null bytes, as a slice of the input.</summary>
    public ReadOnlyMemory<byte> ReadBytes(bool compact)
    {
        int length = ReadNonNullLength(compact, wide: true);
        return TakeMemory(length);
    }

    /// <summary>Nullable bytes, as a slice of the input.</summary>
    public ReadOnlyMemory<byte>? ReadNullableBytes(bool compact)
    {
        int length = ReadLength(compact, wide: true);
        return length < 0 ? (ReadOnlyMemory<byte>?)null : TakeMemory(length);
    }

    /// <summary>A <c>records</c> field: nullable bytes holding record batches, never copied.</summary>
    public ReadOnlyMemory<byte>? ReadRecords(bool compact) => ReadNullableBytes(compact);

    /// <summary>The next <paramref name="length"/> bytes as a slice of the input.</summary>
    public ReadOnlyMemory<byte> TakeMemory(int length)
    {
        if ((uint)length > (uint)(_span.Length - _position))
        {
            Fail(ProtocolReadError.Truncated);
            return ReadOnlyMemory<byte>.Empty;
        }
        var slice = _memory.Slice(_position, length);
        _position += length;
        return slice;
    }

    /// <summary>
    /// An array count for a non-nullable array. Every element takes at least one byte, so a
    /// count above the bytes left is an error before the caller allocates anything.
    /// </summary>
    public int ReadArrayCount(bool compact)
    {
        int count = ReadNullableArrayCount(compact);
        if (count < 0)
        {
            Fail(ProtocolReadError.UnexpectedNull);
            return 0;
        }
        return count;
    }

    /// <summary>An array count; -1 means null.</summary>
    public int ReadNullableArrayCount(bool compact) => ReadLength(compact, wide: true);

    /// <summary>The int8 marker before a nullable struct: true when a struct follows.</summary>
    public bool ReadStructPresence()
    {
        return ReadInt8() >= 0;
    }

    /// <summary>The number of tagged fields in a tagged-field section.</summary>
    public int ReadTaggedFieldCount()
    {
        uint count = ReadUnsignedVarint();
        // Each tagged field takes at least two bytes (tag and size).
        if (count > (uint)(_span.Length - _position) / 2)
        {
            Fail(ProtocolReadError.LengthTooLarge);
            return 0;
        }
        return (int)count;
    }

    /// <summary>The size prefix of one tagged field; it must fit in what is left.</summary>
    public int ReadTaggedFieldSize()
    {
        uint size = ReadUnsignedVarint();
        if (size > (uint)(_span.Length - _position))
        {
            Fail(ProtocolReadError.LengthTooLarge);
            return 0;
        }
        return (int)size;
    }

    /// <summary>Checks that a known tagged field used exactly the bytes its size announced.</summary>
    public void EndTaggedField(int expectedEnd)
    {
        if (_error == ProtocolReadError.None && _position != expectedEnd)
        {
            Fail(ProtocolReadError.TaggedFieldSizeMismatch);
        }
    }

    /// <summary>Keeps an unknown tagged field (a slice of the input) in <paramref name="fields"/>.</summary>
    public List<RawTaggedField>? ReadUnknownTaggedField(List<RawTaggedField>? fields, int tag, int size)
    {
        var data = TakeMemory(size);
        if (_error != ProtocolReadError.None)
        {
            return fields;
        }
        fields ??= [];
        fields.Add(new RawTaggedField(tag, data));
        return fields;
    }

    /// <summary>Skips a whole tagged-field section without keeping anything.</summary>
    public void SkipTaggedFields()
    {
        int count = ReadTaggedFieldCount();
        for (int i = 0; i < count && _error == ProtocolReadError.None; i++)
        {
            ReadUnsignedVarint();
            Take(ReadTaggedFieldSize());
        }
    }
}
