using Microsoft.Win32.SafeHandles;

namespace Brook.Broker.Network;

/// <summary>
/// Opens a file the broker already holds open as the asynchronous <see cref="FileStream"/> the
/// runtime's sendfile path asks for. Segment handles are synchronous (they are read with
/// <see cref="RandomAccess"/>), so the same file is opened again through /proc/self/fd: that
/// reaches the open file itself, even when its name was since deleted or replaced.
/// </summary>
internal static class SendableFile
{
    private static readonly bool s_available = OperatingSystem.IsLinux() && Directory.Exists("/proc/self/fd");

    /// <summary>A stream to send from, to dispose after the send; null where the file cannot be reopened this way (not Linux, no descriptors left).</summary>
    public static FileStream? TryOpen(SafeFileHandle file)
    {
        if (!s_available)
        {
            return null;
        }
        bool added = false;
        SafeFileHandle? reopened = null;
        try
        {
            file.DangerousAddRef(ref added);
            reopened = File.OpenHandle(
                $"/proc/self/fd/{file.DangerousGetHandle()}", FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.Asynchronous);
            return new FileStream(reopened, FileAccess.Read, bufferSize: 0, isAsync: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentException)
        {
            // Out of descriptors, say: the caller copies the bytes instead.
            reopened?.Dispose();
            return null;
        }
        finally
        {
            if (added)
            {
                file.DangerousRelease();
            }
        }
    }
}
