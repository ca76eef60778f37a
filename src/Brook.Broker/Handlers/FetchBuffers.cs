using System.Buffers;
using Brook.Protocol.Messages;

namespace Brook.Broker.Handlers;

/// <summary>
/// The buffers a Fetch response's record slices live in, returned once it is written. Each read
/// gets one array of its exact size: small ones from the shared pool, large ones (above
/// <see cref="LargestPooled"/>) allocated for this response and left to the GC, because the
/// shared pool would keep every large array it was given and a catch-up consumer's fetches
/// would stay resident.
/// </summary>
internal sealed class FetchBuffers : IDisposable
{
    private const int LargestPooled = 1024 * 1024;

    private readonly List<byte[]> _pooled = [];

    /// <summary>One result per partition read, in the order read; their records point into the buffers.</summary>
    public List<FetchResponse.PartitionData> Results { get; } = [];

    public long TotalBytes { get; private set; }

    /// <summary>A buffer of at least <paramref name="length"/> bytes, valid until <see cref="Reset"/>.</summary>
    public byte[] Take(int length)
    {
        if (length > LargestPooled)
        {
            return GC.AllocateUninitializedArray<byte>(length);
        }
        byte[] buffer = ArrayPool<byte>.Shared.Rent(length);
        _pooled.Add(buffer);
        return buffer;
    }

    public void Count(int bytes) => TotalBytes += bytes;

    public void Dispose() => Reset();

    /// <summary>Returns the buffers and forgets the results, ready to read again.</summary>
    public void Reset()
    {
        foreach (byte[] buffer in _pooled)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        _pooled.Clear();
        Results.Clear();
        TotalBytes = 0;
    }
}
