namespace Brook.Broker.Network;

/// <summary>Limits of the Kafka listener. The defaults are Kafka's where Kafka has the setting.</summary>
public sealed class KafkaNetworkOptions
{
    /// <summary>Kafka's <c>socket.request.max.bytes</c>: a larger declared frame closes the connection.</summary>
    public int SocketRequestMaxBytes { get; set; } = 104_857_600;

    /// <summary>Kafka's <c>connections.max.idle.ms</c>: a connection with nothing in flight and no traffic for this long is closed.</summary>
    public TimeSpan ConnectionsMaxIdle { get; set; } = TimeSpan.FromMilliseconds(600_000);

    /// <summary>Requests of one connection being dispatched or waiting to be written; at the bound the connection is not read.</summary>
    public int MaxInFlightRequestsPerConnection { get; set; } = 100;

    /// <summary>Request bytes of one connection held in buffers; at the bound the connection is not read.</summary>
    public long MaxInFlightBytesPerConnection { get; set; } = 104_857_600;

    /// <summary>
    /// Write responses straight to the socket, record slices from their files by sendfile(2), when
    /// the transport exposes its socket; otherwise (or when false) through Kestrel's output pipe.
    /// </summary>
    public bool SendFile { get; set; } = true;

    /// <summary>Record slices smaller than this are copied into the send buffer instead of sent by sendfile (a call per small slice costs more than the copy).</summary>
    public int SendFileMinBytes { get; set; } = 64 * 1024;

    /// <summary>Throws if a limit cannot work.</summary>
    public void Validate()
    {
        if (SocketRequestMaxBytes < KafkaRequestFrame.HeaderStartSize)
        {
            throw new ArgumentOutOfRangeException(nameof(SocketRequestMaxBytes), SocketRequestMaxBytes, $"must be at least {KafkaRequestFrame.HeaderStartSize}");
        }
        if (ConnectionsMaxIdle <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(ConnectionsMaxIdle), ConnectionsMaxIdle, "must be positive");
        }
        if (MaxInFlightRequestsPerConnection < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxInFlightRequestsPerConnection), MaxInFlightRequestsPerConnection, "must be at least 1");
        }
        if (SendFileMinBytes < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(SendFileMinBytes), SendFileMinBytes, "must be at least 1");
        }
        if (MaxInFlightBytesPerConnection < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxInFlightBytesPerConnection), MaxInFlightBytesPerConnection, "must be at least 1");
        }
    }
}
