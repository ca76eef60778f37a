using System.Buffers;
using Microsoft.Win32.SafeHandles;

namespace Brook.Storage.Files;

/// <summary>
/// Zero bytes in segment files: writing them ahead of the appends (the active segment's zero
/// window, docs/storage.md) and telling a clean zero tail from damage in recovery.
/// </summary>
internal static class ZeroFill
{
    private const int ChunkBytes = 256 * 1024;

    // Written from, never written to.
    private static readonly byte[] s_zeros = new byte[ChunkBytes];

    /// <summary>Writes zeros over [<paramref name="from"/>, <paramref name="to"/>) through the page cache (the blocks become really written, not unwritten extents).</summary>
    public static void Write(SafeFileHandle file, long from, long to)
    {
        for (long at = from; at < to; at += ChunkBytes)
        {
            RandomAccess.Write(file, s_zeros.AsSpan(0, (int)Math.Min(ChunkBytes, to - at)), at);
        }
    }

    /// <summary>True when every byte from <paramref name="from"/> to the end of the file is zero.</summary>
    public static bool IsZeroToEnd(SafeFileHandle file, long from)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            long at = from;
            while (true)
            {
                int read = RandomAccess.Read(file, buffer, at);
                if (read == 0)
                {
                    return true;
                }
                if (buffer.AsSpan(0, read).ContainsAnyExcept((byte)0))
                {
                    return false;
                }
                at += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
