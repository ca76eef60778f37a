namespace Brook.Broker.Groups.Consumer;

/// <summary>A member as a server-side assignor sees it: its subscription and its previous target (for stickiness).</summary>
internal sealed record AssignorMember(string MemberId, IReadOnlyList<string> SubscribedTopics, TopicPartitionSet PreviousTarget);

/// <summary>A server-side assignor (KIP-848 <c>group.consumer.assignors</c>): computes the target assignment of every member.</summary>
internal interface IConsumerGroupAssignor
{
    string Name { get; }

    /// <param name="members">Sorted by member id.</param>
    /// <param name="topics">The subscribed topics that exist, by name.</param>
    Dictionary<string, TopicPartitionSet> Assign(IReadOnlyList<AssignorMember> members, IReadOnlyDictionary<string, SubscribedTopic> topics);
}

internal static class ConsumerGroupAssignors
{
    public static IConsumerGroupAssignor? Create(string name) => name switch
    {
        UniformAssignor.AssignorName => new UniformAssignor(),
        RangeAssignor.AssignorName => new RangeAssignor(),
        _ => null,
    };
}
