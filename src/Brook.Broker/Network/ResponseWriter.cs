using System.Runtime.CompilerServices;
using Brook.Protocol.Records;

namespace Brook.Broker.Network;

/// <summary>
/// How a connection's responses reach the client: through Kestrel's output pipe
/// (<see cref="PipeResponseWriter"/>) or straight to the socket, records by sendfile
/// (<see cref="SocketResponseWriter"/>). One connection uses one of them for all its bytes, so
/// the two never interleave on a socket.
/// </summary>
/// <remarks>
/// A failed transport surfaces as <see cref="Microsoft.AspNetCore.Connections.ConnectionResetException"/>;
/// records whose file no longer holds them as <see cref="IOException"/> (their length is on the
/// wire already, so the connection can only be closed).
/// </remarks>
internal abstract class ResponseWriter : IDisposable
{
    internal const int SizePrefixLength = KafkaFrameReader.SizePrefixLength;

    /// <summary>Large responses move in pieces of about this size; smaller ones are copied whole.</summary>
    internal const int ChunkBytes = 256 * 1024;

    /// <summary>Writes one frame (size prefix and response, deferred records in place); bytes may wait for <see cref="FlushAsync"/>. False when the client's side is closed.</summary>
    public abstract ValueTask<bool> WriteAsync(KafkaResponseBuffer response);

    /// <summary>Hands everything written to the transport. False when the client's side is closed.</summary>
    public abstract ValueTask<bool> FlushAsync();

    public virtual void Dispose()
    {
    }

    /// <summary>
    /// Writes the response's bytes after its size prefix: the buffer's bytes with each deferred
    /// part's records in place. False when the client's side is closed.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    protected async ValueTask<bool> WriteResponseBytesAsync(KafkaResponseBuffer response)
    {
        int at = 0;
        IReadOnlyList<DeferredPart> parts = response.Parts;
        for (int i = 0; i < parts.Count; i++)
        {
            DeferredPart part = parts[i];
            if (!await WriteBytesAsync(response.WrittenMemory[at..part.Position]) || !await WriteRecordsAsync(part.Records))
            {
                return false;
            }
            at = part.Position;
        }
        return await WriteBytesAsync(response.WrittenMemory[at..]);
    }

    /// <summary>Writes bytes of the response buffer (they may wait for <see cref="FlushAsync"/>). False when the client's side is closed.</summary>
    protected abstract ValueTask<bool> WriteBytesAsync(ReadOnlyMemory<byte> bytes);

    /// <summary>Writes records from their file (they may wait for <see cref="FlushAsync"/>). False when the client's side is closed.</summary>
    protected abstract ValueTask<bool> WriteRecordsAsync(DeferredRecords records);
}
