namespace Brook.Client;

/// <summary>Settings every Brook client (admin, producer, consumer) shares; Kafka's names in the comments.</summary>
public class KafkaClientOptions
{
    /// <summary><c>bootstrap.servers</c>: comma-separated <c>host:port</c> list used to find the cluster.</summary>
    public string BootstrapServers { get; set; } = "127.0.0.1:9092";

    /// <summary><c>client.id</c>: sent in every request header.</summary>
    public string ClientId { get; set; } = "brook-dotnet";

    /// <summary><c>request.timeout.ms</c>: how long one request may wait for its response before the connection is dropped.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary><c>socket.connection.setup.timeout.ms</c>.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary><c>metadata.max.age.ms</c>: cached metadata older than this is refreshed on use.</summary>
    public TimeSpan MetadataMaxAge { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary><c>retry.backoff.ms</c>.</summary>
    public TimeSpan RetryBackoff { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary><c>allow.auto.create.topics</c>: whether metadata look-ups of unknown topics ask the broker to create them.</summary>
    public bool AllowAutoCreateTopics { get; set; }

    /// <summary>The clock for metadata age, linger and timeouts.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
