using Brook.Protocol.Compression;

namespace Brook.Broker.Handlers;

/// <summary>The pooled buffers a Fetch response's record slices live in, returned once it is written.</summary>
internal sealed class FetchBuffers : IDisposable
{
    private readonly List<PooledBufferWriter> _buffers = [];

    public long TotalBytes { get; private set; }

    public PooledBufferWriter Rent()
    {
        var buffer = new PooledBufferWriter(0);
        _buffers.Add(buffer);
        return buffer;
    }

    public void Count(int bytes) => TotalBytes += bytes;

    public void Dispose()
    {
        foreach (PooledBufferWriter buffer in _buffers)
        {
            buffer.Dispose();
        }
        _buffers.Clear();
        TotalBytes = 0;
    }
}
