using System.Net;
using Brook.Broker.Cluster;
using Brook.Broker.Network;
using Microsoft.Extensions.Logging;

namespace Brook.Broker.Hosting;

/// <summary>Everything <see cref="BrookServer.StartAsync"/> needs; the defaults make a local single-node broker.</summary>
public sealed class BrookServerOptions
{
    public const int DefaultKafkaPort = 9092;
    public const int DefaultAdminPort = 9644;

    /// <summary>This broker's node id (Kafka's <c>node.id</c>).</summary>
    public int NodeId { get; set; }

    /// <summary>Where the broker keeps its data; created if missing.</summary>
    public string DataDirectory { get; set; } = "brook-data";

    /// <summary>Where the Kafka listener binds; port 0 picks a free port (see <see cref="BrookServer.KafkaEndPoint"/>).</summary>
    public IPEndPoint KafkaListener { get; set; } = new(IPAddress.Loopback, DefaultKafkaPort);

    /// <summary>Where the admin HTTP listener binds; null for none. Port 0 picks a free port.</summary>
    public IPEndPoint? AdminListener { get; set; } = new(IPAddress.Loopback, DefaultAdminPort);

    /// <summary>
    /// The address clients are told to connect to (Kafka's <c>advertised.listeners</c>). Null: the
    /// listener's address, or this machine's host name when the listener binds every address.
    /// Port 0: the port the Kafka listener bound.
    /// </summary>
    public DnsEndPoint? AdvertisedKafkaAddress { get; set; }

    /// <summary>Broker-wide Kafka settings (<c>auto.create.topics.enable</c>, <c>num.partitions</c>).</summary>
    public KafkaBrokerOptions Broker { get; set; } = new();

    /// <summary>Limits of the Kafka listener.</summary>
    public KafkaNetworkOptions Network { get; set; } = new();

    /// <summary>
    /// Makes the dispatcher that serves Kafka requests, once the server object exists (so it can
    /// reach the metrics, the data directory and the advertised address). The server owns what it
    /// returns and disposes it after the last connection closes. Null: <see cref="Handlers.KafkaApiDispatcher"/>, the Kafka broker over <see cref="DataDirectory"/>.
    /// </summary>
    public Func<BrookServer, IKafkaRequestDispatcher>? DispatcherFactory { get; set; }

    /// <summary>What the admin HTTP listener serves: status, metrics and, later, the other HTTP APIs.</summary>
    public IList<IAdminHttpModule> AdminModules { get; } = new List<IAdminHttpModule>();

    /// <summary>Where the server and Kestrel log. Null: nowhere.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>The clock for idle reaping, latencies and the shutdown timeout.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>How long shutdown waits for in-flight requests before aborting connections.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
