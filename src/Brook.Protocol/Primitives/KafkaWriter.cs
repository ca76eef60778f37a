using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using Brook.Protocol.Records;

namespace Brook.Protocol.Primitives;

/// <summary>
/// Writes Kafka's wire encodings (big-endian, varints, classic and compact lengths) into an
/// <see cref="IBufferWriter{T}"/>. The only exceptions come from the buffer writer itself or
/// from values that cannot be encoded at all (a null in a non-nullable slot, a string longer
/// than an int16 length allows), which are programming errors, not input errors.
/// </summary>
public ref struct KafkaWriter
{
    private readonly IBufferWriter<byte> _output;
    private long _written;

    public KafkaWriter(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
    }

    /// <summary>Bytes written through this writer so far.</summary>
    public readonly long Written => _written;

    private Span<byte> Reserve(int count) => _output.GetSpan(count);

    private void Commit(int count)
    {
        _output.Advance(count);
        _written += count;
    }

    public void WriteInt8(sbyte value)
    {
        Reserve(1)[0] = (byte)value;
        Commit(1);
    }

    public void WriteBool(bool value)
    {
        Reserve(1)[0] = value ? (byte)1 : (byte)0;
        Commit(1);
    }

    public void WriteInt16(short value)
    {
        BinaryPrimitives.WriteInt16BigEndian(Reserve(2), value);
        Commit(2);
    }

    public void WriteUInt16(ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(Reserve(2), value);
        Commit(2);
    }

    public void WriteInt32(int value)
    {
        BinaryPrimitives.WriteInt32BigEndian(Reserve(4), value);
        Commit(4);
    }

    public void WriteUInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(Reserve(4), value);
        Commit(4);
    }

    public void WriteInt64(long value)
    {
        BinaryPrimitives.WriteInt64BigEndian(Reserve(8), value);
        Commit(8);
    }

    public void WriteFloat64(double value)
    {
        BinaryPrimitives.WriteDoubleBigEndian(Reserve(8), value);
        Commit(8);
    }

    public void WriteUuid(Uuid value)
    {
        value.Write(Reserve(Uuid.Size));
        Commit(Uuid.Size);
    }

    public void WriteUnsignedVarint(uint value)
    {
        var span = Reserve(5);
        int i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        span[i++] = (byte)value;
        Commit(i);
    }

    public void WriteUnsignedVarlong(ulong value)
    {
        var span = Reserve(10);
        int i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        span[i++] = (byte)value;
        Commit(i);
    }

    /// <summary>A zig-zag signed varint.</summary>
    public void WriteVarint(int value) => WriteUnsignedVarint((uint)((value << 1) ^ (value >> 31)));

    /// <summary>A zig-zag signed varlong.</summary>
    public void WriteVarlong(long value) => WriteUnsignedVarlong((ulong)((value << 1) ^ (value >> 63)));

    private void WriteLength(int length, bool compact, bool wide)
    {
        if (compact)
        {
            WriteUnsignedVarint((uint)(length + 1));
        }
        else if (wide)
        {
            WriteInt32(length);
        }
        else
        {
            WriteInt16((short)length);
        }
    }

    /// <summary>A non-nullable string; null is a caller bug and throws.</summary>
    public void WriteString(string? value, bool compact)
    {
        if (value is null)
        {
            ProtocolThrow.NullNotAllowed("string");
        }
        WriteStringBody(value, compact);
    }

    public void WriteNullableString(string? value, bool compact)
    {
        if (value is null)
        {
            WriteLength(-1, compact, wide: false);
            return;
        }
        WriteStringBody(value, compact);
    }

    private void WriteStringBody(string value, bool compact)
    {
        int byteCount = Encoding.UTF8.GetByteCount(value);
        if (!compact && byteCount > short.MaxValue)
        {
            ProtocolThrow.StringTooLong(byteCount);
        }
        WriteLength(byteCount, compact, wide: false);
        if (byteCount > 0)
        {
            int written = Encoding.UTF8.GetBytes(value, Reserve(byteCount));
            Commit(written);
        }
    }

    /// <summary>Non-nullable bytes; null is a caller bug and throws.</summary>
    public void WriteBytes(ReadOnlyMemory<byte>? value, bool compact)
    {
        if (value is null)
        {
            ProtocolThrow.NullNotAllowed("bytes");
        }
        WriteRaw(value.Value.Span, compact);
    }

    public void WriteNullableBytes(ReadOnlyMemory<byte>? value, bool compact)
    {
        if (value is null)
        {
            WriteLength(-1, compact, wide: true);
            return;
        }
        WriteRaw(value.Value.Span, compact);
    }

    /// <summary>
    /// A <c>records</c> field (nullable bytes). Records that stay in a file until sending
    /// (<see cref="DeferredRecords"/>) are left to an output that can send them itself: only
    /// their length is written here.
    /// </summary>
    public void WriteRecords(ReadOnlyMemory<byte>? value, bool compact)
    {
        if (value is { } memory && _output is IDeferredRecordsWriter deferredWriter
            && MemoryMarshal.TryGetMemoryManager(memory, out DeferredRecords? deferred, out int start, out int length)
            && start == 0 && length == deferred.Length)
        {
            WriteLength(length, compact, wide: true);
            deferredWriter.WriteDeferred(deferred);
            _written += length;
            return;
        }
        WriteNullableBytes(value, compact);
    }

    private void WriteRaw(ReadOnlySpan<byte> value, bool compact)
    {
        WriteLength(value.Length, compact, wide: true);
        WriteRawBytes(value);
    }

    /// <summary>Bytes with no length prefix.</summary>
    public void WriteRawBytes(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty)
        {
            return;
        }
        value.CopyTo(Reserve(value.Length));
        Commit(value.Length);
    }

    /// <summary>An array count; -1 writes null.</summary>
    public void WriteArrayCount(int count, bool compact) => WriteLength(count, compact, wide: true);

    /// <summary>The int8 marker before a nullable struct.</summary>
    public void WriteStructPresence(bool present) => WriteInt8(present ? (sbyte)1 : (sbyte)-1);

    /// <summary>The tag and size of one known tagged field, before its value.</summary>
    public void WriteTaggedFieldHeader(int tag, int size)
    {
        WriteUnsignedVarint((uint)tag);
        WriteUnsignedVarint((uint)size);
    }

    /// <summary>
    /// Writes the unknown tagged fields whose tag is in [<paramref name="fromTag"/>,
    /// <paramref name="toTagExclusive"/>) in ascending tag order, so they interleave with the
    /// known ones as the protocol requires, whatever order the list holds them in.
    /// </summary>
    public void WriteUnknownTaggedFields(List<RawTaggedField>? fields, int fromTag, int toTagExclusive)
    {
        if (fields is null)
        {
            return;
        }
        // The lists are tiny (usually empty), so repeated minimum search beats sorting a copy.
        long next = fromTag;
        while (next < toTagExclusive)
        {
            long smallest = long.MaxValue;
            foreach (var field in fields)
            {
                if (field.Tag >= next && field.Tag < toTagExclusive && field.Tag < smallest)
                {
                    smallest = field.Tag;
                }
            }
            if (smallest == long.MaxValue)
            {
                return;
            }
            foreach (var field in fields)
            {
                if (field.Tag == smallest)
                {
                    WriteTaggedFieldHeader(field.Tag, field.Data.Length);
                    WriteRawBytes(field.Data.Span);
                }
            }
            next = smallest + 1;
        }
    }

    /// <summary>A whole tagged-field section made only of <paramref name="fields"/> (may be null).</summary>
    public void WriteTaggedFields(List<RawTaggedField>? fields)
    {
        WriteUnsignedVarint((uint)(fields?.Count ?? 0));
        WriteUnknownTaggedFields(fields, 0, int.MaxValue);
    }
}
