using System.Net;
using System.Net.Sockets;

namespace Brook.Client.Tests.Support;

/// <summary>A loopback port nothing listens on (bound and released, so very likely still free).</summary>
public static class FreePort
{
    public static int Find()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
