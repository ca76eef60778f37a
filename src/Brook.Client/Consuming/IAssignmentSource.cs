namespace Brook.Client.Consuming;

/// <summary>
/// Where a consumer's partitions come from. <see cref="KafkaConsumer.Assign"/> sets them by hand;
/// group membership (classic or KIP-848 protocols) implements this to hand partitions over
/// as the coordinator assigns and revokes them. The consumer asks before every fetch.
/// </summary>
public interface IAssignmentSource
{
    /// <summary>The partitions to fetch now; called before every fetch round.</summary>
    ValueTask<IReadOnlyCollection<TopicPartition>> GetAssignmentAsync(CancellationToken cancellationToken);

    /// <summary>Where a newly assigned partition starts (the group's committed offset); false: by the reset policy.</summary>
    bool TryGetStartingOffset(TopicPartition partition, out long offset)
    {
        offset = -1;
        return false;
    }

    /// <summary>Commits consumed positions (the next offsets to read) for the group; a no-op without a group.</summary>
    ValueTask CommitAsync(IReadOnlyList<KeyValuePair<TopicPartition, long>> positions, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
