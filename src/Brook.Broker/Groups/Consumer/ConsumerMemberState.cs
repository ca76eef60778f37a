namespace Brook.Broker.Groups.Consumer;

/// <summary>Where a member is in reconciling toward its target assignment (Kafka's MemberState; the byte is what records store).</summary>
public enum ConsumerMemberState : sbyte
{
    /// <summary>Owns exactly its assignment at its epoch.</summary>
    Stable = 0,

    /// <summary>Must revoke partitions before it moves to the target epoch.</summary>
    UnrevokedPartitions = 1,

    /// <summary>At the target epoch, but waits for partitions other members have not released yet.</summary>
    UnreleasedPartitions = 2,

    Unknown = 127,
}

/// <summary>A member's current assignment: epochs, state, owned partitions and those it must give up.</summary>
internal sealed record MemberAssignment(int MemberEpoch, int PreviousMemberEpoch, ConsumerMemberState State,
    TopicPartitionSet Assigned, TopicPartitionSet PendingRevocation)
{
    public static readonly MemberAssignment Initial = new(0, 0, ConsumerMemberState.Stable, TopicPartitionSet.Empty, TopicPartitionSet.Empty);
}
