using Brook.Protocol.Compression;

namespace Brook.Protocol.Tests.Compression;

public class NativeCodecLibraryTests
{
    [Fact]
    public void Missing_library_loads_as_nothing_and_keeps_its_install_hint()
    {
        var library = new NativeCodecLibrary("brook-test needs libbrook-missing.so.9: apt-get install nothing", "libbrook-missing.so.9");

        Assert.Equal(0, library.Handle);
        Assert.Equal(0, library.Export("anything"));
        Assert.Equal("brook-test needs libbrook-missing.so.9: apt-get install nothing", library.InstallHint);
    }

    [Fact]
    public void Present_library_resolves_its_exports_and_not_others()
    {
        var library = new NativeCodecLibrary("zstd needs libzstd.so.1", "libbrook-missing.so.9", "libzstd.so.1");

        Assert.NotEqual(0, library.Handle);
        Assert.NotEqual(0, library.Export("ZSTD_decompressStream"));
        Assert.Equal(0, library.Export("ZSTD_no_such_function"));
    }
}
