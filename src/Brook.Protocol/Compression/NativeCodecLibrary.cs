using System.Runtime.InteropServices;

namespace Brook.Protocol.Compression;

/// <summary>
/// A codec's shared library, loaded on first use with <see cref="NativeLibrary.TryLoad(string, out nint)"/>
/// so that a missing library only disables that codec, with a message saying what to install.
/// </summary>
internal sealed class NativeCodecLibrary
{
    private readonly string[] _fileNames;
    private readonly Lock _gate = new();
    private nint _handle;
    private bool _attempted;

    public NativeCodecLibrary(string installHint, params string[] fileNames)
    {
        InstallHint = installHint;
        _fileNames = fileNames;
    }

    /// <summary>What to install when the library is missing, e.g. "snappy needs libsnappy.so.1: apt-get install libsnappy1v5".</summary>
    public string InstallHint { get; }

    /// <summary>The library handle, or zero when none of the file names loads.</summary>
    public nint Handle
    {
        get
        {
            lock (_gate)
            {
                if (!_attempted)
                {
                    _attempted = true;
                    foreach (string name in _fileNames)
                    {
                        if (NativeLibrary.TryLoad(name, out _handle))
                        {
                            break;
                        }
                    }
                }
                return _handle;
            }
        }
    }

    /// <summary>The address of <paramref name="symbol"/>; zero if the library or the symbol is missing.</summary>
    public nint Export(string symbol) =>
        Handle != 0 && NativeLibrary.TryGetExport(Handle, symbol, out nint address) ? address : 0;
}
