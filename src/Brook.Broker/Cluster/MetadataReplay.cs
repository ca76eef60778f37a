namespace Brook.Broker.Cluster;

/// <summary>
/// Which metadata records start-up replays. A topic deleted and created again under the same name
/// has two incarnations in the log, and both use the same partition directories: replaying the
/// first one's creation would open the second one's data as its own, and replaying its deletion
/// would then delete that data. So records of a topic before its latest creation are skipped:
/// that incarnation was deleted before the latest was created, and its directories went with it.
/// </summary>
public static class MetadataReplay
{
    /// <summary>The records to apply, in log order.</summary>
    public static IEnumerable<MetadataRecord> RecordsToApply(IReadOnlyList<MetadataRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var latestCreation = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < records.Count; i++)
        {
            if (records[i].Type == MetadataRecord.TopicType && records[i].Topic is { } name)
            {
                latestCreation[name] = i;
            }
        }
        for (int i = 0; i < records.Count; i++)
        {
            if (records[i].Topic is { } name && latestCreation.TryGetValue(name, out int latest) && i < latest)
            {
                continue;
            }
            yield return records[i];
        }
    }
}
