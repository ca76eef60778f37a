using BenchmarkDotNet.Attributes;
using Brook.Protocol.Compression;

namespace Brook.Benchmarks.Protocol;

/// <summary>
/// Decoding one frame (as it arrives once the size prefix is read) and encoding the decoded
/// message again into a pooled buffer that is reused, cleared, between operations.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ProtocolBenchmarkConfig))]
public abstract class FrameRoundTripBenchmark
{
    /// <summary>1 batch of 1 MiB in one partition, or 16 partitions of one 64 KiB batch each.</summary>
    [Params(1, 16)]
    public int Partitions { get; set; }

    protected byte[] Frame { get; private set; } = [];

    protected PooledBufferWriter Output { get; private set; } = null!;

    [GlobalSetup]
    public void Setup()
    {
        using (var output = new PooledBufferWriter(ProtocolPayload.TotalBytes + 4096))
        {
            WriteFrame(output, ProtocolPayload.Batches(Partitions));
            Frame = output.WrittenSpan[4..].ToArray();
        }
        Output = new PooledBufferWriter(Frame.Length + 64);
        if (DecodeAndReencode() != Frame.Length + 4)
        {
            throw new InvalidOperationException("the re-encoded frame differs in size from the original");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => Output.Dispose();

    /// <summary>Decodes <see cref="Frame"/>, clears <see cref="Output"/> and writes the whole frame into it; returns its size.</summary>
    public abstract int DecodeAndReencode();

    /// <summary>Writes the whole frame (size prefix included) carrying one batch per partition.</summary>
    protected abstract void WriteFrame(PooledBufferWriter output, byte[][] batches);
}
