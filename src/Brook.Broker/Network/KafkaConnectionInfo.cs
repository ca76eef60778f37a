using System.Net;

namespace Brook.Broker.Network;

/// <summary>What a dispatcher may know about the connection a request came on.</summary>
public sealed class KafkaConnectionInfo
{
    public KafkaConnectionInfo(long id, EndPoint? remoteEndPoint, EndPoint? localEndPoint)
    {
        Id = id;
        RemoteEndPoint = remoteEndPoint;
        LocalEndPoint = localEndPoint;
    }

    /// <summary>Unique among the connections of one server, counting from 1.</summary>
    public long Id { get; }

    public EndPoint? RemoteEndPoint { get; }

    public EndPoint? LocalEndPoint { get; }

    /// <summary>
    /// Per-connection state of the dispatcher (negotiated versions, SASL progress). Pipelined
    /// requests of one connection may run concurrently, so whatever is stored here must be safe
    /// for concurrent use.
    /// </summary>
    public object? DispatcherState { get; set; }

    public override string ToString() => $"#{Id} {RemoteEndPoint}";
}
