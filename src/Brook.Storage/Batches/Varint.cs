namespace Brook.Storage.Batches;

/// <summary>Zig-zag variable-length integers as records inside a batch use them.</summary>
internal static class Varint
{
    /// <summary>Reads a zig-zag varint; false if the bytes end first or it is longer than 10 bytes.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out long value, out int length)
    {
        ulong raw = 0;
        int shift = 0;
        for (int i = 0; i < source.Length && i < 10; i++)
        {
            byte b = source[i];
            raw |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                length = i + 1;
                value = (long)(raw >> 1) ^ -(long)(raw & 1);
                return true;
            }
            shift += 7;
        }
        value = 0;
        length = 0;
        return false;
    }
}
