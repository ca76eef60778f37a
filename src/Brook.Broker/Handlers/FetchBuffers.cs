using Brook.Protocol.Messages;
using Brook.Storage;

namespace Brook.Broker.Handlers;

/// <summary>
/// The record slices a Fetch response points at, released once it is written. No bytes are
/// copied here: each slice is a file region the connection moves into the socket's buffers when
/// it sends the response (<see cref="FetchedRecords"/>), so a catch-up fetch of tens of megabytes
/// allocates no buffers of that size.
/// </summary>
internal sealed class FetchBuffers : IDisposable, IDeferredResponseBytes
{
    private readonly List<FetchedRecords> _slices = [];

    /// <summary>One result per partition read, in the order read; their records point at the slices.</summary>
    public List<FetchResponse.PartitionData> Results { get; } = [];

    public long TotalBytes { get; private set; }

    public long DeferredBytes => TotalBytes;

    /// <summary>Takes over <paramref name="read"/> (not empty) and returns the memory a response's records field carries for it.</summary>
    public ReadOnlyMemory<byte> Keep(LogReadResult read)
    {
        var slice = new FetchedRecords(read);
        _slices.Add(slice);
        TotalBytes += slice.Length;
        return slice.Memory;
    }

    public void Dispose() => Reset();

    /// <summary>Releases the slices and forgets the results, ready to read again.</summary>
    public void Reset()
    {
        foreach (FetchedRecords slice in _slices)
        {
            slice.Release();
        }
        _slices.Clear();
        Results.Clear();
        TotalBytes = 0;
    }
}
