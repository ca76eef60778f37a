using Brook.Protocol.Compression;
using Brook.Protocol.Messages;

namespace Brook.Broker.Handlers;

/// <summary>The pooled buffers a Fetch response's record slices live in, returned once it is written.</summary>
internal sealed class FetchBuffers : IDisposable
{
    private readonly List<PooledBufferWriter> _buffers = [];

    /// <summary>One result per partition read, in the order read; their records point into the buffers.</summary>
    public List<FetchResponse.PartitionData> Results { get; } = [];

    public long TotalBytes { get; private set; }

    public PooledBufferWriter Rent()
    {
        var buffer = new PooledBufferWriter(0);
        _buffers.Add(buffer);
        return buffer;
    }

    public void Count(int bytes) => TotalBytes += bytes;

    public void Dispose() => Reset();

    /// <summary>Returns the buffers and forgets the results, ready to read again.</summary>
    public void Reset()
    {
        foreach (PooledBufferWriter buffer in _buffers)
        {
            buffer.Dispose();
        }
        _buffers.Clear();
        Results.Clear();
        TotalBytes = 0;
    }
}
