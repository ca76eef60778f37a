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
    internal const int SizePrefixLength = 4;

    /// <summary>Large responses move in pieces of about this size; smaller ones are copied whole.</summary>
    internal const int ChunkBytes = 256 * 1024;

    /// <summary>Writes one frame (size prefix and response, deferred records in place); bytes may wait for <see cref="FlushAsync"/>. False when the client's side is closed.</summary>
    public abstract ValueTask<bool> WriteAsync(KafkaResponseBuffer response);

    /// <summary>Hands everything written to the transport. False when the client's side is closed.</summary>
    public abstract ValueTask<bool> FlushAsync();

    public virtual void Dispose()
    {
    }
}
