namespace Brook.Client.Consuming;

/// <summary>
/// Where a consumer's partitions come from. <see cref="KafkaConsumer.Assign"/> sets them by hand;
/// group membership (classic or KIP-848 protocols) will implement this to hand partitions over
/// as the coordinator assigns and revokes them. The consumer asks before every fetch.
/// </summary>
public interface IAssignmentSource
{
    /// <summary>The partitions to fetch now; called before every fetch round.</summary>
    ValueTask<IReadOnlyCollection<TopicPartition>> GetAssignmentAsync(CancellationToken cancellationToken);
}
