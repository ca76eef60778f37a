namespace Brook.Broker.Groups.Consumer;

/// <summary>A member's subscription as ConsumerGroupMemberMetadataValue stores it.</summary>
internal sealed record MemberSubscription(string? InstanceId, string? RackId, string ClientId, string ClientHost,
    IReadOnlyList<string> SubscribedTopicNames, int RebalanceTimeoutMs, string? ServerAssignor);

/// <summary>ConsumerGroupMetadata (key version 3): the group epoch; null value: the group is deleted.</summary>
internal sealed record ConsumerGroupEpochRecord(string GroupId, int? Epoch) : OffsetsRecord(GroupId);

/// <summary>ConsumerGroupPartitionMetadata (key version 4): the subscribed topics.</summary>
internal sealed record ConsumerGroupSubscriptionRecord(string GroupId, IReadOnlyList<SubscribedTopic>? Topics) : OffsetsRecord(GroupId);

/// <summary>ConsumerGroupMemberMetadata (key version 5): one member's subscription; null value: the member left.</summary>
internal sealed record ConsumerGroupMemberRecord(string GroupId, string MemberId, MemberSubscription? Value) : OffsetsRecord(GroupId);

/// <summary>ConsumerGroupTargetAssignmentMetadata (key version 6): the epoch of the target assignment.</summary>
internal sealed record ConsumerGroupTargetEpochRecord(string GroupId, int? Epoch) : OffsetsRecord(GroupId);

/// <summary>ConsumerGroupTargetAssignmentMember (key version 7): one member's target partitions.</summary>
internal sealed record ConsumerGroupTargetMemberRecord(string GroupId, string MemberId, TopicPartitionSet? Partitions) : OffsetsRecord(GroupId);

/// <summary>ConsumerGroupCurrentMemberAssignment (key version 8): one member's epochs, state and owned partitions.</summary>
internal sealed record ConsumerGroupCurrentAssignmentRecord(string GroupId, string MemberId, MemberAssignment? Value) : OffsetsRecord(GroupId);
