namespace Brook.Broker.Cluster;

/// <summary>Kafka's rule for topic names: 1 to 249 of [a-zA-Z0-9._-], and not "." or "..".</summary>
public static class TopicNames
{
    public const int MaxLength = 249;

    /// <summary>Kafka's internal topics: committed offsets and group metadata.</summary>
    public const string ConsumerOffsets = "__consumer_offsets";

    /// <summary>Kafka's internal topics: transaction coordinator state.</summary>
    public const string TransactionState = "__transaction_state";

    public static bool IsValid(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxLength || name is "." or "..")
        {
            return false;
        }
        foreach (char c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// Topics Metadata flags as internal, so that clients' pattern subscriptions and
    /// <c>exclude.internal.topics</c> leave them out, as they do against Kafka.
    /// </summary>
    public static bool IsInternal(string name) => name is ConsumerOffsets or TransactionState;

    /// <summary>Internal names that clients may not create.</summary>
    public static bool IsReserved(string name) => name == MetadataLog.Partition.Topic;
}
