using System.Collections.Concurrent;
using Brook.Broker.Observability;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace Brook.Broker.Network;

/// <summary>
/// The Kafka listener as a Kestrel connection handler: Kestrel accepts sockets and pumps bytes
/// through pipes; this class turns each connection into framed requests for the dispatcher. It
/// also keeps the set of open connections, for idle reaping and graceful shutdown.
/// </summary>
public sealed class KafkaConnectionHandler : ConnectionHandler, IDisposable
{
    private readonly IKafkaRequestDispatcher _dispatcher;
    private readonly KafkaNetworkOptions _options;
    private readonly BrokerMetrics _metrics;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<long, KafkaConnection> _open = new();
    private readonly ITimer _idleReaper;
    private readonly Lock _drainLock = new();
    private TaskCompletionSource? _drained;
    private long _lastConnectionId;
    private volatile bool _shuttingDown;

    public KafkaConnectionHandler(
        IKafkaRequestDispatcher dispatcher,
        KafkaNetworkOptions options,
        BrokerMetrics metrics,
        ILoggerFactory loggerFactory,
        TimeProvider time)
    {
        options.Validate();
        _dispatcher = dispatcher;
        _options = options;
        _metrics = metrics;
        _logger = loggerFactory.CreateLogger("Brook.Network");
        _time = time;
        // Checking a few times per idle period keeps the overshoot small without a timer per connection.
        TimeSpan period = TimeSpan.FromTicks(Math.Clamp(options.ConnectionsMaxIdle.Ticks / 4, TimeSpan.TicksPerMillisecond, TimeSpan.TicksPerSecond * 10));
        _idleReaper = time.CreateTimer(static state => ((KafkaConnectionHandler)state!).CloseIdleConnections(), this, period, period);
    }

    /// <summary>Connections being served now.</summary>
    public int OpenConnections => _open.Count;

    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        var info = new KafkaConnectionInfo(Interlocked.Increment(ref _lastConnectionId), connection.RemoteEndPoint, connection.LocalEndPoint);
        _metrics.ConnectionsAccepted.Increment();
        if (_shuttingDown)
        {
            _metrics.ConnectionsClosed(ConnectionCloseReason.Shutdown).Increment();
            return;
        }
        var kafkaConnection = new KafkaConnection(connection, info, _dispatcher, _options, _metrics, _logger, _time);
        _open[info.Id] = kafkaConnection;
        _metrics.ConnectionsOpen.Increment();
        NetworkLog.ConnectionOpened(_logger, info);
        if (_shuttingDown)
        {
            kafkaConnection.RequestClose(ConnectionCloseReason.Shutdown);
        }
        try
        {
            await kafkaConnection.RunAsync();
        }
        catch (Exception exception)
        {
            // Never let one connection's failure reach Kestrel or the other connections.
            NetworkLog.UnexpectedFailure(_logger, exception, info);
            kafkaConnection.Abort(ConnectionCloseReason.Error);
        }
        finally
        {
            // Metrics before leaving the open set, so whoever sees the set shrink sees them too.
            _metrics.ConnectionsOpen.Decrement();
            _metrics.ConnectionsClosed(kafkaConnection.CloseReason).Increment();
            NetworkLog.ConnectionClosed(_logger, info, kafkaConnection.CloseReason);
            _open.TryRemove(info.Id, out _);
            if (_shuttingDown && _open.IsEmpty)
            {
                lock (_drainLock)
                {
                    _drained?.TrySetResult();
                }
            }
        }
    }

    /// <summary>
    /// Refuses new connections, stops reading on every open one and waits until each has answered
    /// what it had read. When <paramref name="cancellationToken"/> fires first, the rest are aborted.
    /// </summary>
    public async Task ShutdownAsync(CancellationToken cancellationToken)
    {
        Task drained;
        lock (_drainLock)
        {
            _shuttingDown = true;
            _drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            drained = _drained.Task;
        }
        _idleReaper.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        foreach (KafkaConnection connection in _open.Values)
        {
            connection.RequestClose(ConnectionCloseReason.Shutdown);
        }
        if (_open.IsEmpty)
        {
            return;
        }
        try
        {
            await drained.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            NetworkLog.AbortingAtShutdown(_logger, _open.Count);
            foreach (KafkaConnection connection in _open.Values)
            {
                connection.Abort(ConnectionCloseReason.Shutdown);
            }
            await drained;
        }
    }

    public void Dispose() => _idleReaper.Dispose();

    private void CloseIdleConnections()
    {
        long now = _time.GetTimestamp();
        foreach (KafkaConnection connection in _open.Values)
        {
            if (connection.IsIdleAt(now, out TimeSpan idleFor))
            {
                NetworkLog.IdleConnection(_logger, connection.Info, (long)idleFor.TotalMilliseconds);
                connection.RequestClose(ConnectionCloseReason.Idle);
            }
        }
    }
}
