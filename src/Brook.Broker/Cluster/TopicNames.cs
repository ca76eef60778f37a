namespace Brook.Broker.Cluster;

/// <summary>Kafka's rule for topic names: 1 to 249 of [a-zA-Z0-9._-], and not "." or "..".</summary>
public static class TopicNames
{
    public const int MaxLength = 249;

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

    /// <summary>Internal names that clients may not create.</summary>
    public static bool IsReserved(string name) => name == MetadataLog.Partition.Topic;
}
