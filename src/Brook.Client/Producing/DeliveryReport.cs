namespace Brook.Client.Producing;

/// <summary>
/// Where an acknowledged record landed: its offset (-1 with acks=0) and timestamp (the broker's
/// log-append time when the topic uses it, else the record's create time).
/// </summary>
public readonly record struct DeliveryReport(string Topic, int Partition, long Offset, long Timestamp);

/// <summary>Called once per record on the fire-and-forget path: the report, or the error that failed it.</summary>
public delegate void DeliveryHandler(in DeliveryReport report, Exception? error);

/// <summary>A produced record failed for good (a non-retriable error, or the delivery timeout ran out).</summary>
public sealed class ProduceException : KafkaException
{
    public ProduceException(string message, Exception? inner)
        : base(message, inner)
    {
    }

    public ProduceException()
        : base("produce failed", null)
    {
    }

    public ProduceException(string message)
        : base(message, null)
    {
    }
}
