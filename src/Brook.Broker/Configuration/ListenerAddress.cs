using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Brook.Broker.Configuration;

/// <summary>Parses the <c>host:port</c> strings of listener and advertised addresses.</summary>
public static class ListenerAddress
{
    /// <summary>
    /// A listener to bind: an IP literal (<c>127.0.0.1:9092</c>, <c>[::1]:9092</c>, <c>0.0.0.0:9092</c>)
    /// or a host name that resolves (<c>localhost:9092</c>). The port is required; 0 picks a free one.
    /// </summary>
    public static IPEndPoint ParseBindable(string value, string setting)
    {
        (string host, int? port) = Split(value, setting);
        if (port is null)
        {
            throw new BrookConfigurationException($"{setting}: '{value}' has no port (expected host:port)");
        }
        if (IPAddress.TryParse(host, out IPAddress? address))
        {
            return new IPEndPoint(address, port.Value);
        }
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return new IPEndPoint(IPAddress.Loopback, port.Value);
        }
        try
        {
            IPAddress[] addresses = Dns.GetHostAddresses(host);
            IPAddress chosen = Array.Find(addresses, a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses[0];
            return new IPEndPoint(chosen, port.Value);
        }
        catch (Exception exception) when (exception is SocketException or IndexOutOfRangeException)
        {
            throw new BrookConfigurationException($"{setting}: cannot resolve host '{host}'", exception);
        }
    }

    /// <summary>An address to give clients: <c>host:port</c>, not resolved; without a port, the bound port.</summary>
    public static DnsEndPoint ParseAdvertised(string value, string setting)
    {
        (string host, int? port) = Split(value, setting);
        return new DnsEndPoint(host, port ?? 0);
    }

    private static (string Host, int? Port) Split(string value, string setting)
    {
        string text = value.Trim();
        if (text.Length == 0)
        {
            throw new BrookConfigurationException($"{setting}: empty address");
        }
        int colon = text.LastIndexOf(':');
        bool bracketed = text.StartsWith('[');
        // A bare IPv6 literal has colons but no port; a bracketed one has its port after ']'.
        if (colon < 0 || (bracketed && colon < text.IndexOf(']', StringComparison.Ordinal)) || (!bracketed && text.IndexOf(':', StringComparison.Ordinal) != colon))
        {
            return (Unbracket(text), null);
        }
        string host = Unbracket(text[..colon]);
        if (!int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port > IPEndPoint.MaxPort)
        {
            throw new BrookConfigurationException($"{setting}: '{value}' has no valid port");
        }
        if (host.Length == 0)
        {
            throw new BrookConfigurationException($"{setting}: '{value}' has no host");
        }
        return (host, port);
    }

    private static string Unbracket(string host) =>
        host.Length >= 2 && host[0] == '[' && host[^1] == ']' ? host[1..^1] : host;
}
