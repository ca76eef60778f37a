namespace Brook.Broker.Network;

/// <summary>Why a Kafka connection closed: the <c>reason</c> label of brook_connections_closed_total.</summary>
public static class ConnectionCloseReason
{
    /// <summary>The client closed or reset the connection.</summary>
    public const string Client = "client";

    /// <summary>Nothing in flight and no traffic for connections.max.idle.ms.</summary>
    public const string Idle = "idle";

    /// <summary>A frame with a negative, too small or too large size.</summary>
    public const string ProtocolError = "protocol_error";

    /// <summary>The dispatcher asked for it (a failed acks=0 produce, a request it will not serve).</summary>
    public const string Dispatcher = "dispatcher";

    /// <summary>The server is shutting down.</summary>
    public const string Shutdown = "shutdown";

    /// <summary>Something unexpected in Brook's own code; logged as an error.</summary>
    public const string Error = "error";
}
