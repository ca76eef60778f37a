using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Brook.Broker.Observability;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.Extensions.Logging;

namespace Brook.Broker.Network;

/// <summary>
/// One Kafka connection: a read loop that frames requests and hands them to the dispatcher as
/// soon as they arrive, and a write loop that takes them from an ordered queue and writes each
/// response once it and every earlier one are done. The in-flight budget stops the read loop
/// while the connection holds too many requests or bytes.
/// </summary>
/// <remarks>
/// Two ways to close: gracefully (stop reading, answer what was read; idle reaping, shutdown, the
/// client ending its side) and abruptly (abort the transport and cancel the dispatcher; bad
/// frames, transport failures). Either way the write loop waits for every dispatched request
/// before the pooled buffers go back, since the dispatcher may still be reading them.
/// </remarks>
internal sealed class KafkaConnection
{
    private readonly ConnectionContext _context;
    private readonly IKafkaRequestDispatcher _dispatcher;
    private readonly KafkaNetworkOptions _options;
    private readonly BrokerMetrics _metrics;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly InFlightBudget _budget;
    private readonly Channel<InFlightRequest> _queue = Channel.CreateUnbounded<InFlightRequest>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly Stack<InFlightRequest> _spare = new();
    private readonly CancellationTokenSource _stopReading = new();
    private readonly CancellationTokenSource _aborted = new();
    private long _lastActivity;
    private string? _closeReason;

    public KafkaConnection(
        ConnectionContext context,
        KafkaConnectionInfo info,
        IKafkaRequestDispatcher dispatcher,
        KafkaNetworkOptions options,
        BrokerMetrics metrics,
        ILogger logger,
        TimeProvider time)
    {
        _context = context;
        Info = info;
        _dispatcher = dispatcher;
        _options = options;
        _metrics = metrics;
        _logger = logger;
        _time = time;
        _budget = new InFlightBudget(options.MaxInFlightRequestsPerConnection, options.MaxInFlightBytesPerConnection);
        _lastActivity = time.GetTimestamp();
    }

    public KafkaConnectionInfo Info { get; }

    /// <summary>Why the connection closed; set once, by whoever closes it first.</summary>
    public string CloseReason => Volatile.Read(ref _closeReason) ?? ConnectionCloseReason.Client;

    /// <summary>True when nothing is in flight and nothing moved for connections.max.idle.ms.</summary>
    public bool IsIdleAt(long timestamp, out TimeSpan idleFor)
    {
        idleFor = _time.GetElapsedTime(Interlocked.Read(ref _lastActivity), timestamp);
        return _budget.Requests == 0 && idleFor >= _options.ConnectionsMaxIdle;
    }

    /// <summary>Stops reading; requests already read are still answered. Safe to call from any thread, more than once.</summary>
    public void RequestClose(string reason)
    {
        Interlocked.CompareExchange(ref _closeReason, reason, null);
        CancelQuietly(_stopReading);
    }

    /// <summary>Closes the transport now and cancels the dispatcher's work for this connection.</summary>
    public void Abort(string reason)
    {
        RequestClose(reason);
        CancelQuietly(_aborted);
        _context.Abort(new ConnectionAbortedException($"closed by Brook: {reason}"));
    }

    public async Task RunAsync()
    {
        using CancellationTokenRegistration onTransportClosed = _context.ConnectionClosed.Register(
            static state => CancelQuietly((CancellationTokenSource)state!), _aborted);
        using CancellationTokenRegistration onCloseRequested = RegisterCloseRequested();
        Task writer = WriteResponsesAsync();
        try
        {
            await ReadRequestsAsync();
        }
        catch (OperationCanceledException) when (_stopReading.IsCancellationRequested)
        {
            // A close was requested; the reason is already recorded.
        }
        catch (Exception exception) when (exception is IOException or ConnectionAbortedException or ConnectionResetException or InvalidOperationException)
        {
            NetworkLog.TransportFailed(_logger, exception, Info);
            Abort(ConnectionCloseReason.Client);
        }
        finally
        {
            _queue.Writer.TryComplete();
        }
        await writer;
        _stopReading.Dispose();
        _aborted.Dispose();
    }

    // Kestrel asks connections to close through this feature when the server stops.
    private CancellationTokenRegistration RegisterCloseRequested()
    {
        var lifetime = _context.Features.Get<IConnectionLifetimeNotificationFeature>();
        return lifetime is null
            ? default
            : lifetime.ConnectionClosedRequested.Register(static state => ((KafkaConnection)state!).RequestClose(ConnectionCloseReason.Shutdown), this);
    }

    private async Task ReadRequestsAsync()
    {
        PipeReader input = _context.Transport.Input;
        CancellationToken stop = _stopReading.Token;
        while (true)
        {
            await _budget.WaitForRoomAsync(stop);
            ReadResult result = await input.ReadAsync(stop);
            if (result.IsCanceled)
            {
                return;
            }
            ReadOnlySequence<byte> buffer = result.Buffer;
            if (!buffer.IsEmpty)
            {
                Touch();
            }
            bool examinedAll = true;
            FrameStatus status;
            int declaredSize;
            while ((status = KafkaFrameReader.TryRead(ref buffer, _options.SocketRequestMaxBytes, out declaredSize, out ReadOnlySequence<byte> payload)) == FrameStatus.Complete)
            {
                Admit(payload);
                if (_budget.IsFull)
                {
                    // Frames may remain in the buffer: leave them unexamined so the next read
                    // returns them at once instead of waiting for more bytes.
                    examinedAll = false;
                    break;
                }
            }
            input.AdvanceTo(buffer.Start, examinedAll ? buffer.End : buffer.Start);
            if (examinedAll && status is not (FrameStatus.Complete or FrameStatus.Incomplete))
            {
                NetworkLog.BadFrame(_logger, Info, declaredSize, status, _options.SocketRequestMaxBytes);
                Abort(ConnectionCloseReason.ProtocolError);
                return;
            }
            if (examinedAll && result.IsCompleted)
            {
                if (!buffer.IsEmpty)
                {
                    NetworkLog.TruncatedFrame(_logger, Info, buffer.Length);
                }
                RequestClose(ConnectionCloseReason.Client);
                return;
            }
        }
    }

    private void Admit(in ReadOnlySequence<byte> payload)
    {
        InFlightRequest request = RentRequest();
        request.Load(payload, Info, _time.GetTimestamp());
        _budget.Admit(request.Size);
        _metrics.BytesReceived.Add(request.Size + KafkaFrameReader.SizePrefixLength);
        _metrics.RequestsInFlight.Increment();
        try
        {
            request.Pending = _dispatcher.DispatchAsync(request.Frame, request.Response, _aborted.Token);
        }
        catch (Exception exception)
        {
            request.Pending = ValueTask.FromException<KafkaDispatchResult>(exception);
        }
        _queue.Writer.TryWrite(request);
    }

    private async Task WriteResponsesAsync()
    {
        using ResponseWriter writer = CreateWriter();
        ChannelReader<InFlightRequest> queue = _queue.Reader;
        bool writing = true;
        bool unflushed = false;
        while (await queue.WaitToReadAsync())
        {
            while (queue.TryRead(out InFlightRequest? request))
            {
                KafkaDispatchResult result = await CompletionOf(request);
                if (writing && !_aborted.IsCancellationRequested)
                {
                    switch (result.Action)
                    {
                        case KafkaResponseAction.Send:
                            writing = await SendAsync(writer, request.Response);
                            unflushed = writing;
                            break;
                        case KafkaResponseAction.CloseConnection:
                            writing = false;
                            RequestClose(ConnectionCloseReason.Dispatcher);
                            break;
                    }
                }
                Finish(request, result.ErrorCode);
                // Flush once per run of responses that are ready, not once per response.
                if (unflushed && !(queue.TryPeek(out InFlightRequest? next) && next.Pending.IsCompleted))
                {
                    unflushed = false;
                    writing = await SendAsync(writer, null) && writing;
                }
            }
        }
        if (unflushed)
        {
            await SendAsync(writer, null);
        }
    }

    private ResponseWriter CreateWriter() =>
        _options.SendFile && _context.Features.Get<IConnectionSocketFeature>()?.Socket is { } socket
            ? new SocketResponseWriter(socket, _options.SendFileMinBytes)
            : new PipeResponseWriter(_context.Transport.Output);

    /// <summary>Writes <paramref name="response"/>, or flushes when it is null. False when the connection can take no more bytes.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> SendAsync(ResponseWriter writer, KafkaResponseBuffer? response)
    {
        try
        {
            if (!(response is null ? await writer.FlushAsync() : await writer.WriteAsync(response)))
            {
                RequestClose(ConnectionCloseReason.Client);
                return false;
            }
            if (response is null)
            {
                Touch();
            }
            else
            {
                _metrics.BytesSent.Add(response.ResponseLength + KafkaFrameReader.SizePrefixLength);
            }
            return true;
        }
        catch (ConnectionResetException exception)
        {
            NetworkLog.TransportFailed(_logger, exception, Info);
            Abort(ConnectionCloseReason.Client);
        }
        catch (Exception exception)
        {
            // Records whose file lost them (their length is on the wire), or a bug: the queue is
            // still drained, so every request gives its buffers back.
            NetworkLog.UnexpectedFailure(_logger, exception, Info);
            Abort(ConnectionCloseReason.Error);
        }
        return false;
    }

    // Pooled: when a response is not ready yet, awaiting it should not allocate a state machine.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<KafkaDispatchResult> CompletionOf(InFlightRequest request)
    {
        try
        {
            return await request.Pending;
        }
        catch (OperationCanceledException) when (_aborted.IsCancellationRequested)
        {
            return KafkaDispatchResult.Close(KafkaDispatchResult.UnknownServerError);
        }
        catch (Exception exception)
        {
            KafkaRequestFrame frame = request.Frame;
            NetworkLog.DispatcherFailed(_logger, exception, Info, frame.ApiKey, frame.ApiVersion, frame.CorrelationId);
            Interlocked.CompareExchange(ref _closeReason, ConnectionCloseReason.Error, null);
            return KafkaDispatchResult.Close(KafkaDispatchResult.UnknownServerError);
        }
    }

    private void Finish(InFlightRequest request, short errorCode)
    {
        KafkaRequestFrame frame = request.Frame;
        _metrics.RecordRequest(frame.ApiKey, frame.ApiVersion, _time.GetElapsedTime(request.StartTimestamp), errorCode);
        _metrics.RequestsInFlight.Decrement();
        int size = request.Size;
        request.Release();
        ReturnRequest(request);
        _budget.Release(size);
    }

    private InFlightRequest RentRequest()
    {
        lock (_spare)
        {
            return _spare.TryPop(out InFlightRequest? request) ? request : new InFlightRequest();
        }
    }

    private void ReturnRequest(InFlightRequest request)
    {
        lock (_spare)
        {
            _spare.Push(request);
        }
    }

    private void Touch() => Interlocked.Exchange(ref _lastActivity, _time.GetTimestamp());

    private static void CancelQuietly(CancellationTokenSource source)
    {
        try
        {
            source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The connection already finished.
        }
    }
}
