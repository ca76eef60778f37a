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
        uint raw = 0;
        int shift = 0;
        int p = pos;
        while (true)
        {
            if ((uint)p >= (uint)source.Length)
            {
                value = 0;
                return false;
            }
            byte b = source[p++];
            if (shift == 28 && b > 0x0F)
            {
                // A fifth byte may only carry the top four bits.
                value = 0;
                return false;
            }
            raw |= (uint)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                break;
            }
            shift += 7;
        }
        pos = p;
        value = (int)(raw >> 1) ^ -(int)(raw & 1);
        return true;
    }

    /// <summary>Reads a zig-zag int64 at <paramref name="pos"/>, advancing it; false when truncated or over-long.</summary>
    public static bool TryReadInt64(ReadOnlySpan<byte> source, ref int pos, out long value)
    {
        ulong raw = 0;
        int shift = 0;
        int p = pos;
        while (true)
        {
            if ((uint)p >= (uint)source.Length)
            {
                value = 0;
                return false;
            }
            byte b = source[p++];
            if (shift == 63 && b > 0x01)
            {
                value = 0;
                return false;
            }
            raw |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                break;
            }
            shift += 7;
        }
        pos = p;
        value = (long)(raw >> 1) ^ -(long)(raw & 1);
        return true;
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
