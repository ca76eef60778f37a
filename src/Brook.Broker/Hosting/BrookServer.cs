using System.Net;
using Brook.Broker.Handlers;
using Brook.Broker.Network;
using Brook.Broker.Observability;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Brook.Broker.Hosting;

/// <summary>
/// A Brook broker as a library object: one Kestrel server with the Kafka listener (a connection
/// handler) and the admin HTTP listener side by side. <c>brook start</c> is a thin shell around it;
/// tests and embedding applications start it in-process:
/// <code>
/// await using var broker = await BrookServer.StartAsync(new BrookServerOptions { KafkaListener = new(IPAddress.Loopback, 0) });
/// </code>
/// </summary>
/// <remarks>
/// Kestrel is built by hand rather than through the generic host: the host's configuration,
/// dependency injection and hosted-service machinery would cost startup time and memory and give
/// the broker nothing it needs.
/// </remarks>
public sealed class BrookServer : IAsyncDisposable
{
    private readonly ILogger _logger;
    private readonly AdminRoutes _adminRoutes = new();
    private readonly Lock _stopLock = new();
    private KestrelServer? _kestrel;
    private KafkaConnectionHandler? _kafkaHandler;
    private IKafkaRequestDispatcher? _dispatcher;
    private ListenOptions? _kafkaListen;
    private ListenOptions? _adminListen;
    private int _state = (int)BrookServerState.Starting;
    private Task? _stopped;

    private BrookServer(BrookServerOptions options)
    {
        Options = options;
        LoggerFactory = options.LoggerFactory ?? NullLoggerFactory.Instance;
        TimeProvider = options.TimeProvider;
        _logger = LoggerFactory.CreateLogger("Brook.Server");
        Metrics = new BrokerMetrics(new MetricRegistry());
        DataDirectory = Path.GetFullPath(options.DataDirectory);
    }

    public BrookServerOptions Options { get; }

    public BrookServerState State => (BrookServerState)Volatile.Read(ref _state);

    /// <summary>True from the moment the Kafka listener accepts until shutdown begins.</summary>
    public bool IsReady => State == BrookServerState.Ready;

    public int NodeId => Options.NodeId;

    /// <summary>The data directory, as an absolute path.</summary>
    public string DataDirectory { get; }

    /// <summary>Where the Kafka listener is bound (the real port when 0 was asked for).</summary>
    public IPEndPoint KafkaEndPoint => _kafkaListen?.IPEndPoint ?? throw NotStarted();

    /// <summary>Where the admin HTTP listener is bound, or null when there is none.</summary>
    public IPEndPoint? AdminEndPoint => _adminListen?.IPEndPoint;

    /// <summary>The address clients are told to use for this broker.</summary>
    public DnsEndPoint AdvertisedKafkaAddress { get; private set; } = new("localhost", BrookServerOptions.DefaultKafkaPort);

    public BrokerMetrics Metrics { get; }

    public ILoggerFactory LoggerFactory { get; }

    public TimeProvider TimeProvider { get; }

    /// <summary>Kafka connections being served now.</summary>
    public int OpenKafkaConnections => _kafkaHandler?.OpenConnections ?? 0;

    /// <summary>Binds the listeners and starts serving; returns once the Kafka listener accepts connections.</summary>
    public static async Task<BrookServer> StartAsync(BrookServerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Network.Validate();
        var server = new BrookServer(options);
        try
        {
            await server.StartCoreAsync(cancellationToken);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    private async Task StartCoreAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(DataDirectory);
        _dispatcher = Options.DispatcherFactory?.Invoke(this) ?? KafkaApiDispatcher.Create(this);
        _kafkaHandler = new KafkaConnectionHandler(_dispatcher, Options.Network, Metrics, LoggerFactory, TimeProvider);
        foreach (IAdminHttpModule module in Options.AdminModules)
        {
            module.Map(_adminRoutes, this);
        }

        var kestrelOptions = new KestrelServerOptions { AddServerHeader = false };
        kestrelOptions.Listen(Options.KafkaListener, listen =>
        {
            _kafkaListen = listen;
            listen.Run(_kafkaHandler.OnConnectedAsync);
        });
        if (Options.AdminListener is { } adminListener)
        {
            kestrelOptions.Listen(adminListener, listen =>
            {
                _adminListen = listen;
                listen.Protocols = HttpProtocols.Http1;
            });
        }
        // Read into a buffer at once instead of first waiting for data with a zero-byte receive:
        // Kestrel reads in 4 KiB blocks, so a 1 MiB Produce cost ~500 receive calls instead of ~250
        // (bench/RESULTS.md: 6 of 6 produce pairs faster, 6-30% less broker CPU). The cost is a
        // 4 KiB pooled block held by each idle connection.
        var socketOptions = new SocketTransportOptions { WaitForDataBeforeAllocatingBuffer = false };
        var transport = new SocketTransportFactory(Microsoft.Extensions.Options.Options.Create(socketOptions), LoggerFactory);
        _kestrel = new KestrelServer(Microsoft.Extensions.Options.Options.Create(kestrelOptions), transport, LoggerFactory);
        await _kestrel.StartAsync(new AdminHttpApplication(_adminRoutes), cancellationToken);

        AdvertisedKafkaAddress = Advertise(Options.AdvertisedKafkaAddress, KafkaEndPoint);
        Volatile.Write(ref _state, (int)BrookServerState.Ready);
        ServerLog.Ready(_logger, NodeId, KafkaEndPoint, $"{AdvertisedKafkaAddress.Host}:{AdvertisedKafkaAddress.Port}",
            AdminEndPoint?.ToString() ?? "none", DataDirectory);
    }

    /// <summary>
    /// Stops gracefully: readiness turns 503, Kafka connections stop being read and answer what
    /// they hold (aborted after <see cref="BrookServerOptions.ShutdownTimeout"/>), then the
    /// listeners close and the dispatcher is disposed. Safe to call more than once.
    /// </summary>
    public Task StopAsync()
    {
        lock (_stopLock)
        {
            return _stopped ??= StopCoreAsync();
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task StopCoreAsync()
    {
        Volatile.Write(ref _state, (int)BrookServerState.Stopping);
        ServerLog.Stopping(_logger, NodeId);
        using var timeout = new CancellationTokenSource(Options.ShutdownTimeout, TimeProvider);
        if (_kafkaHandler is not null)
        {
            await _kafkaHandler.ShutdownAsync(timeout.Token);
        }
        if (_kestrel is not null)
        {
            await _kestrel.StopAsync(timeout.Token);
            _kestrel.Dispose();
        }
        _kafkaHandler?.Dispose();
        switch (_dispatcher)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync();
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }
        Volatile.Write(ref _state, (int)BrookServerState.Stopped);
        ServerLog.Stopped(_logger, NodeId);
    }

    private static DnsEndPoint Advertise(DnsEndPoint? configured, IPEndPoint bound)
    {
        if (configured is not null)
        {
            return new DnsEndPoint(configured.Host, configured.Port == 0 ? bound.Port : configured.Port);
        }
        string host = bound.Address.Equals(IPAddress.Any) || bound.Address.Equals(IPAddress.IPv6Any)
            ? Dns.GetHostName()
            : bound.Address.ToString();
        return new DnsEndPoint(host, bound.Port);
    }

    private static InvalidOperationException NotStarted() => new("the server has not bound its listeners");
}
