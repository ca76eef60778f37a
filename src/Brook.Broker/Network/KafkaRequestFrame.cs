namespace Brook.Broker.Network;

/// <summary>
/// One Kafka request as the network layer hands it to the dispatcher: the fixed start of the
/// request header, parsed by hand so the dispatcher can pick the header and body versions, and the
/// whole request (header included, size prefix excluded).
/// </summary>
/// <remarks>
/// <see cref="Payload"/> lives in a pooled buffer owned by the connection. It stays valid until
/// the dispatcher's task completes; the buffer is returned to the pool after the response has
/// been written. A dispatcher that wants to keep bytes longer must copy them.
/// </remarks>
public readonly struct KafkaRequestFrame
{
    /// <summary>Bytes of the header start every request version shares: api_key, api_version, correlation_id.</summary>
    public const int HeaderStartSize = 8;

    public KafkaRequestFrame(short apiKey, short apiVersion, int correlationId, ReadOnlyMemory<byte> payload, KafkaConnectionInfo connection)
    {
        ApiKey = apiKey;
        ApiVersion = apiVersion;
        CorrelationId = correlationId;
        Payload = payload;
        Connection = connection;
    }

    public short ApiKey { get; }

    public short ApiVersion { get; }

    public int CorrelationId { get; }

    /// <summary>The request from its first header byte to its last body byte.</summary>
    public ReadOnlyMemory<byte> Payload { get; }

    /// <summary>The request bytes after the fixed header start: client_id, tagged fields, then the body.</summary>
    public ReadOnlyMemory<byte> AfterHeaderStart => Payload[HeaderStartSize..];

    public KafkaConnectionInfo Connection { get; }
}
