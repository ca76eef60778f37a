using Brook.Protocol.Compression;

namespace Brook.Benchmarks.Protocol;

/// <summary>Frames for the benchmarks to decode, as they arrive once the size prefix is read.</summary>
public static class ProtocolFrames
{
    /// <summary>Runs <paramref name="writeFrame"/> and returns what it wrote minus the 4-byte size prefix.</summary>
    public static byte[] WithoutSizePrefix(Func<PooledBufferWriter, int> writeFrame)
    {
        ArgumentNullException.ThrowIfNull(writeFrame);
        using var output = new PooledBufferWriter(ProtocolPayload.TotalBytes + 4096);
        writeFrame(output);
        return output.WrittenSpan[4..].ToArray();
    }
}
