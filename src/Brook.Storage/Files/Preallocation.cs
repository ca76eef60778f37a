using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Brook.Storage.Files;

/// <summary>
/// Reserves disk blocks past the end of a segment file with <c>fallocate(FALLOC_FL_KEEP_SIZE)</c>,
/// so appends write into blocks already allocated instead of extending the file block by block.
/// The file's size does not change: readers, recovery and truncation see exactly the bytes
/// written, never a zero tail. Best effort: where the call is unsupported nothing is reserved.
/// </summary>
internal static partial class Preallocation
{
    private const int KeepSize = 0x01; // FALLOC_FL_KEEP_SIZE

    private static volatile bool s_unsupported = !OperatingSystem.IsLinux();

    /// <summary>Reserves [<paramref name="offset"/>, <paramref name="offset"/> + <paramref name="length"/>); false if nothing was reserved.</summary>
    public static bool TryReserve(SafeFileHandle file, long offset, long length)
    {
        if (s_unsupported || length <= 0)
        {
            return false;
        }
        if (Fallocate(file, KeepSize, offset, length) == 0)
        {
            return true;
        }
        int errno = Marshal.GetLastPInvokeError();
        if (errno is Eopnotsupp or Enosys)
        {
            s_unsupported = true; // this file system (or kernel) never will
        }
        return false;
    }

    private const int Enosys = 38;
    private const int Eopnotsupp = 95;

    [LibraryImport("libc", EntryPoint = "fallocate", SetLastError = true)]
    private static partial int Fallocate(SafeFileHandle fd, int mode, long offset, long length);
}
