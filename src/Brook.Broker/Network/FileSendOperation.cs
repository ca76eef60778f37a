using System.Net.Sockets;
using System.Threading.Tasks.Sources;

namespace Brook.Broker.Network;

/// <summary>
/// One reusable, awaitable <see cref="Socket.SendPacketsAsync"/> of a file region. On Linux the
/// runtime sends a file element with non-blocking sendfile(2), waiting for the socket to become
/// writable through its event loop, so no thread is blocked while the client reads slowly.
/// </summary>
internal sealed class FileSendOperation : SocketAsyncEventArgs, IValueTaskSource<SocketError>
{
    private readonly SendPacketsElement[] _elements = new SendPacketsElement[1];
    private ManualResetValueTaskSourceCore<SocketError> _source;

    public FileSendOperation()
        : base(unsafeSuppressExecutionContextFlow: true)
    {
    }

    /// <summary>Sends <paramref name="count"/> bytes of <paramref name="file"/> from <paramref name="position"/>; the result says how it went.</summary>
    public ValueTask<SocketError> SendAsync(Socket socket, FileStream file, long position, int count)
    {
        _source.Reset();
        _elements[0] = new SendPacketsElement(file, position, count, endOfPacket: false);
        SendPacketsElements = _elements;
        if (!socket.SendPacketsAsync(this))
        {
            Complete();
        }
        return new ValueTask<SocketError>(this, _source.Version);
    }

    protected override void OnCompleted(SocketAsyncEventArgs e) => Complete();

    SocketError IValueTaskSource<SocketError>.GetResult(short token) => _source.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<SocketError>.GetStatus(short token) => _source.GetStatus(token);

    void IValueTaskSource<SocketError>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _source.OnCompleted(continuation, state, token, flags);

    private void Complete()
    {
        SocketError error = SocketError;
        if (error == SocketError.Success && BytesTransferred != _elements[0].Count)
        {
            error = SocketError.InvalidArgument;
        }
        _elements[0] = null!;
        SendPacketsElements = null;
        _source.SetResult(error);
    }
}
