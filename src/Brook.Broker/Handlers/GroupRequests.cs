using System.Net;
using Brook.Broker.Network;

namespace Brook.Broker.Handlers;

/// <summary>What the group handlers share: the client host as Kafka reports it ("/127.0.0.1").</summary>
internal static class GroupRequests
{
    public static string ClientHost(KafkaConnectionInfo connection) =>
        connection.RemoteEndPoint is IPEndPoint ip ? "/" + ip.Address : "/" + connection.RemoteEndPoint;
}
