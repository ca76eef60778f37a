using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Brook.Benchmarks.Storage;

/// <summary>
/// The cost floor of an append: a bare loop of <c>pwrite</c> calls into one file whose blocks are
/// reserved ahead (<c>fallocate</c> with KEEP_SIZE, as segments reserve them), optionally with an
/// fsync after each write. Shown next to the log's rows so their ratio is the log's overhead.
/// </summary>
internal sealed partial class PwriteFloor : IDisposable
{
    private const int KeepSize = 0x01; // FALLOC_FL_KEEP_SIZE

    private readonly SafeFileHandle _file;

    public PwriteFloor(string path)
    {
        _file = File.OpenHandle(path, FileMode.Create, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
    }

    /// <summary>Empties the file and reserves <paramref name="bytes"/> of blocks (outside the measured loop).</summary>
    public void Reset(long bytes)
    {
        RandomAccess.SetLength(_file, 0);
        if (OperatingSystem.IsLinux())
        {
            _ = Fallocate(_file, KeepSize, 0, bytes); // best effort, as in the log
        }
    }

    /// <summary>Writes <paramref name="batch"/> back to back until <paramref name="total"/> bytes are written.</summary>
    public long Write(byte[] batch, long total, bool fsyncEach)
    {
        long written = 0;
        while (written < total)
        {
            RandomAccess.Write(_file, batch, written);
            if (fsyncEach)
            {
                RandomAccess.FlushToDisk(_file);
            }
            written += batch.Length;
        }
        return written;
    }

    public void Dispose() => _file.Dispose();

    [LibraryImport("libc", EntryPoint = "fallocate", SetLastError = true)]
    private static partial int Fallocate(SafeFileHandle fd, int mode, long offset, long length);
}
