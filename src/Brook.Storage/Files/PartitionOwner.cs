namespace Brook.Storage.Files;

/// <summary>
/// <c>partition.metadata</c> in a partition directory: the id of the topic incarnation the
/// directory belongs to (Kafka's file of KIP-516). A topic deleted and created again under the same
/// name uses the same directory name, so the id tells a directory of the old incarnation, left by
/// a deletion that did not finish, from the new one's.
/// </summary>
internal static class PartitionOwner
{
    public const string FileName = "partition.metadata";
    private const string TopicIdField = "topic_id:";

    /// <summary>The topic id the directory records, or null when it records none (a directory from before the file existed, or a new one).</summary>
    public static string? Read(string directory)
    {
        string path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            return null;
        }
        foreach (string line in File.ReadAllLines(path))
        {
            if (line.StartsWith(TopicIdField, StringComparison.Ordinal))
            {
                return line[TopicIdField.Length..].Trim();
            }
        }
        return null;
    }

    /// <summary>Records the topic id, durably (written whole and renamed into place).</summary>
    public static void Write(string directory, string topicId) =>
        Durable.ReplaceFile(Path.Combine(directory, FileName), $"version: 0\n{TopicIdField} {topicId}\n");
}
