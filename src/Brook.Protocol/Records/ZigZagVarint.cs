using System.Runtime.CompilerServices;

namespace Brook.Protocol.Records;

/// <summary>
/// Zig-zag signed varints (protobuf <c>sint32</c>/<c>sint64</c>) as used inside v2 records.
/// Readers report failure instead of throwing, since the bytes come from clients.
/// </summary>
public static class ZigZagVarint
{
    public const int MaxInt32Bytes = 5;
    public const int MaxInt64Bytes = 10;

    /// <summary>Reads a zig-zag int32 at <paramref name="pos"/>, advancing it; false when truncated or over-long.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryReadInt32(ReadOnlySpan<byte> source, ref int pos, out int value)
    {
        // A fifth byte may only carry the top four bits of 32.
        bool ok = TryReadRaw(source, ref pos, MaxInt32Bytes, lastByteLimit: 0x0F, out ulong raw);
        value = (int)((uint)raw >> 1) ^ -(int)(raw & 1);
        return ok;
    }

    /// <summary>Reads a zig-zag int64 at <paramref name="pos"/>, advancing it; false when truncated or over-long.</summary>
    public static bool TryReadInt64(ReadOnlySpan<byte> source, ref int pos, out long value)
    {
        bool ok = TryReadRaw(source, ref pos, MaxInt64Bytes, lastByteLimit: 0x01, out ulong raw);
        value = (long)(raw >> 1) ^ -(long)(raw & 1);
        return ok;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryReadRaw(ReadOnlySpan<byte> source, ref int pos, int maxBytes, byte lastByteLimit, out ulong raw)
    {
        raw = 0;
        int p = pos;
        for (int i = 0; i < maxBytes; i++)
        {
            if ((uint)p >= (uint)source.Length)
            {
                raw = 0;
                return false;
            }
            byte b = source[p++];
            if (i == maxBytes - 1 && b > lastByteLimit)
            {
                raw = 0;
                return false;
            }
            raw |= (ulong)(b & 0x7F) << (7 * i);
            if (b < 0x80)
            {
                pos = p;
                return true;
            }
        }
        raw = 0;
        return false;
    }

    /// <summary>Bytes <see cref="WriteInt64"/> uses for <paramref name="value"/>.</summary>
    public static int SizeOf(long value)
    {
        ulong raw = (ulong)((value << 1) ^ (value >> 63));
        int size = 1;
        while (raw >= 0x80)
        {
            raw >>= 7;
            size++;
        }
        return size;
    }

    /// <summary>Writes <paramref name="value"/> zig-zag encoded; returns the bytes written. The caller sized the span.</summary>
    public static int WriteInt64(Span<byte> destination, long value)
    {
        ulong raw = (ulong)((value << 1) ^ (value >> 63));
        int i = 0;
        while (raw >= 0x80)
        {
            destination[i++] = (byte)(raw | 0x80);
            raw >>= 7;
        }
        destination[i++] = (byte)raw;
        return i;
    }
}
