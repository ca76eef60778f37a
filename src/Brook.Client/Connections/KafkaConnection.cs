using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net.Sockets;
using Brook.Protocol.Compression;
using Brook.Protocol.Errors;
using Brook.Protocol.Messages;
using Brook.Protocol.Primitives;

namespace Brook.Client.Connections;

/// <summary>
/// One TCP connection to one broker. Requests are pipelined: any number may be in flight, and
/// since a Kafka broker answers a connection's requests in order, responses are matched to a
/// FIFO of pending requests (and checked against their correlation ids). The API versions are
/// negotiated once, right after connecting. Any I/O failure, protocol violation or request
/// timeout closes the connection and fails everything pending with <see cref="KafkaConnectionException"/>.
/// </summary>
public sealed class KafkaConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly KafkaClientOptions _options;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly PooledBufferWriter _frame = new(64 * 1024);
    private readonly ConcurrentQueue<PendingRequest> _pending = new();
    private readonly CancellationTokenSource _closing = new();
    private readonly Task _reader;
    private ApiVersionTable? _versions;
    private int _nextCorrelationId;
    private Exception? _closeReason;

    private KafkaConnection(Socket socket, string address, KafkaClientOptions options)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _options = options;
        Address = address;
        _reader = Task.Run(ReadLoopAsync);
    }

    /// <summary><c>host:port</c> this connection goes to.</summary>
    public string Address { get; }

    /// <summary>What the broker serves, from the ApiVersions exchange.</summary>
    public ApiVersionTable Versions => _versions ?? throw new InvalidOperationException("versions are not negotiated yet");

    public bool IsClosed => Volatile.Read(ref _closeReason) is not null;

    /// <summary>Connects, negotiates API versions, and returns a ready connection.</summary>
    public static async Task<KafkaConnection> ConnectAsync(string host, int port, KafkaClientOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        string address = $"{host}:{port}";
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            timeout.CancelAfter(options.ConnectTimeout);
            try
            {
                await socket.ConnectAsync(host, port, timeout.Token);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                throw new KafkaConnectionException(CannotReach(address, Describe(e.SocketErrorCode)), e);
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                socket.Dispose();
                throw new KafkaConnectionException(CannotReach(address, $"no answer within {options.ConnectTimeout.TotalSeconds:0.#}s"), e);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        var connection = new KafkaConnection(socket, address, options);
        try
        {
            await connection.NegotiateVersionsAsync(cancellationToken);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        return connection;
    }

    /// <summary>
    /// Sends <paramref name="request"/> at the negotiated version and returns the broker's response.
    /// Throws <see cref="UnsupportedApiException"/> when the broker does not serve the API.
    /// </summary>
    public async Task<TResponse> SendAsync<TResponse>(IApiMessage request, CancellationToken cancellationToken = default)
        where TResponse : class, IApiMessage =>
        await await StartAsync<TResponse>(request, cancellationToken);

    /// <summary>
    /// Writes <paramref name="request"/> and returns, once it is on the wire, the task of its
    /// response. Callers that need requests to reach the broker in a given order (the producer,
    /// for sequence numbers) start them one after another and await the responses later.
    /// </summary>
    public async Task<Task<TResponse>> StartAsync<TResponse>(IApiMessage request, CancellationToken cancellationToken = default)
        where TResponse : class, IApiMessage
    {
        ArgumentNullException.ThrowIfNull(request);
        PendingRequest pending = (await WriteAsync(request, VersionFor(request.ApiKey), expectResponse: true, cancellationToken))!;
        return AwaitResponseAsync<TResponse>(pending, cancellationToken);
    }

    /// <summary>Sends a request the broker will not answer (Produce with acks=0); completes once written.</summary>
    public async Task SendWithoutResponseAsync(IApiMessage request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await WriteAsync(request, VersionFor(request.ApiKey), expectResponse: false, cancellationToken);
    }

    /// <summary>The version this connection uses for <paramref name="key"/>.</summary>
    public short VersionFor(ApiKey key)
    {
        if (!Versions.TryGetVersion(key, out short version))
        {
            throw new UnsupportedApiException(UnsupportedMessage(key, Versions, Address));
        }
        return version;
    }

    private async Task<PendingRequest?> WriteAsync(IApiMessage request, short version, bool expectResponse, CancellationToken cancellationToken)
    {
        ThrowIfClosed();
        PendingRequest? pending = null;
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            ThrowIfClosed();
            int correlationId = _nextCorrelationId++;
            var header = new RequestHeader
            {
                RequestApiKey = (short)request.ApiKey,
                RequestApiVersion = version,
                CorrelationId = correlationId,
                ClientId = _options.ClientId,
            };
            _frame.Clear();
            KafkaFrames.WriteRequest(_frame, header, request);
            if (expectResponse)
            {
                // Queued before the bytes leave, so the reader always finds it.
                pending = new PendingRequest(request.ApiKey, version, correlationId);
                _pending.Enqueue(pending);
            }
            try
            {
                await _stream.WriteAsync(_frame.WrittenMemory, _closing.Token);
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
            {
                Close(new KafkaConnectionException($"connection to {Address} broke while sending {request.ApiKey}: {e.Message}", e));
                ThrowIfClosed();
            }
        }
        finally
        {
            _writeLock.Release();
        }
        return pending;
    }

    private async Task<TResponse> AwaitResponseAsync<TResponse>(PendingRequest pending, CancellationToken cancellationToken)
        where TResponse : class, IApiMessage
    {
        try
        {
            return (TResponse)await pending.Task.WaitAsync(_options.RequestTimeout, _options.TimeProvider, cancellationToken);
        }
        catch (TimeoutException)
        {
            // The response stream is now out of step with what the caller expects: drop the connection.
            var error = new KafkaConnectionException(
                $"{pending.ApiKey} to {Address} got no response within {_options.RequestTimeout.TotalSeconds:0.#}s; connection closed");
            Close(error);
            throw error;
        }
    }

    private async Task NegotiateVersionsAsync(CancellationToken cancellationToken)
    {
        var request = new ApiVersionsRequest { ClientSoftwareName = "brook-dotnet", ClientSoftwareVersion = "1.0" };
        short version = ApiVersionsRequest.HighestSupportedVersion;
        var response = await AwaitResponseAsync<ApiVersionsResponse>((await WriteAsync(request, version, true, cancellationToken))!, cancellationToken);
        if (response.ErrorCode == (short)ErrorCode.UnsupportedVersion)
        {
            // An older broker answers with v0 and its own range; ask again at v0.
            response = await AwaitResponseAsync<ApiVersionsResponse>((await WriteAsync(request, 0, true, cancellationToken))!, cancellationToken);
        }
        if (response.ErrorCode != 0)
        {
            throw new KafkaException((ErrorCode)response.ErrorCode, $"ApiVersions to {Address} failed");
        }
        _versions = new ApiVersionTable(response);
    }

    private async Task ReadLoopAsync()
    {
        byte[] sizeBuffer = new byte[4];
        try
        {
            while (true)
            {
                await _stream.ReadExactlyAsync(sizeBuffer, _closing.Token);
                int size = BinaryPrimitives.ReadInt32BigEndian(sizeBuffer);
                if (size < 4)
                {
                    throw new KafkaConnectionException($"{Address} sent a frame of {size} bytes");
                }
                // The decoded body keeps slices of this array (bytes, records), so it is not pooled.
                byte[] frame = new byte[size];
                await _stream.ReadExactlyAsync(frame, _closing.Token);
                if (!_pending.TryDequeue(out PendingRequest? pending))
                {
                    throw new KafkaConnectionException($"{Address} sent a response nobody asked for");
                }
                ProtocolReadError error = KafkaFrames.ReadResponse(frame, pending.ApiKey, pending.Version, out int correlationId, out IApiMessage body);
                if (correlationId != pending.CorrelationId)
                {
                    throw new KafkaConnectionException(
                        $"{Address} answered correlation id {correlationId} where {pending.CorrelationId} ({pending.ApiKey}) was next");
                }
                if (error != ProtocolReadError.None)
                {
                    pending.TrySetException(new KafkaConnectionException($"{Address} sent an undecodable {pending.ApiKey} v{pending.Version} response: {error}"));
                    continue;
                }
                pending.TrySetResult(body);
            }
        }
        catch (EndOfStreamException e)
        {
            Close(new KafkaConnectionException($"{Address} closed the connection", e));
        }
        catch (KafkaConnectionException e)
        {
            Close(e);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            Close(new KafkaConnectionException($"connection to {Address} broke: {e.Message}", e));
        }
    }

    private void Close(Exception reason)
    {
        if (Interlocked.CompareExchange(ref _closeReason, reason, null) is not null)
        {
            return;
        }
        _closing.Cancel();
        _socket.Close();
        while (_pending.TryDequeue(out PendingRequest? pending))
        {
            pending.TrySetException(reason);
        }
    }

    private void ThrowIfClosed()
    {
        if (Volatile.Read(ref _closeReason) is { } reason)
        {
            throw new KafkaConnectionException(reason.Message, reason);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Close(new KafkaConnectionException($"connection to {Address} was closed by the client"));
        try
        {
            await _reader;
        }
        finally
        {
            await _stream.DisposeAsync();
            _closing.Dispose();
            await _writeLock.WaitAsync();
            _frame.Dispose();
            _writeLock.Dispose();
        }
    }

    private static string CannotReach(string address, string why) =>
        $"cannot reach {address}: {why}; is `brook start` running?";

    private static string Describe(SocketError error) => error switch
    {
        SocketError.ConnectionRefused => "connection refused",
        SocketError.HostNotFound or SocketError.NoData => "host not found",
        SocketError.TimedOut => "connection timed out",
        SocketError.NetworkUnreachable or SocketError.HostUnreachable => "unreachable",
        _ => error.ToString(),
    };

    private static string UnsupportedMessage(ApiKey key, ApiVersionTable versions, string address)
    {
        string name = ApiMessageTypes.Get(key).Name;
        return versions.BrokerRange(key) is { } range
            ? $"the broker at {address} serves {name} v{range.Min}-{range.Max}, none of which this client speaks"
            : $"the broker at {address} does not serve {name}";
    }
}
