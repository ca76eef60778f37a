using Brook.Protocol.Errors;

namespace Brook.Broker.Groups;

/// <summary>OffsetCommit, OffsetFetch, OffsetDelete and the retention of empty groups' offsets.</summary>
public sealed partial class GroupCoordinator
{
    /// <summary>Validates the committer like Kafka (generation, member, state), writes one record per partition, and applies them once committed.</summary>
    public async Task<ErrorCode[]> CommitOffsetsAsync(OffsetCommitter committer, IReadOnlyList<OffsetCommitEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(committer);
        ArgumentNullException.ThrowIfNull(entries);
        var errors = new ErrorCode[entries.Count];
        ErrorCode groupError = ValidateCommitter(committer);
        if (groupError != ErrorCode.None)
        {
            Array.Fill(errors, groupError);
            return errors;
        }
        long now = NowMs;
        (List<(byte[] Key, byte[]? Value)> records, List<int> written) = EncodeOffsetCommits(committer.GroupId, entries, errors, now);
        if (records.Count == 0)
        {
            return errors;
        }
        (ErrorCode error, long baseOffset) = await AppendSharedAsync(committer.GroupId, records, cancellationToken);
        if (error != ErrorCode.None)
        {
            foreach (int i in written)
            {
                errors[i] = error;
            }
            return errors;
        }
        List<string>? deletedMeanwhile = null;
        lock (_lock)
        {
            for (int n = 0; n < written.Count; n++)
            {
                OffsetCommitEntry entry = entries[written[n]];
                ApplyOffset(committer.GroupId, entry.Topic, entry.Partition, Committed(entry, now), baseOffset + n);
                // A topic deleted while this commit was being written had its offsets removed before
                // these were applied (DeleteOffsetsOfTopicAsync runs once the topic is gone), so they
                // are removed again here; checked under the lock, one of the two always sees them.
                if (!_broker.TryGetTopic(entry.Topic, out _) && !(deletedMeanwhile ??= []).Contains(entry.Topic))
                {
                    deletedMeanwhile.Add(entry.Topic);
                }
            }
        }
        foreach (string topic in deletedMeanwhile ?? [])
        {
            await DeleteOffsetsOfTopicAsync(topic, cancellationToken);
        }
        UpdateLag(committer.GroupId, entries, written);
        return errors;
    }

    /// <summary>
    /// Checks each entry as Kafka does for any offset commit (metadata size, known partition),
    /// marking the failures in <paramref name="errors"/>, and encodes one offset record for each
    /// of the rest; <c>Written</c> holds their indexes in <paramref name="entries"/>.
    /// </summary>
    private (List<(byte[] Key, byte[]? Value)> Records, List<int> Written) EncodeOffsetCommits(string groupId, IReadOnlyList<OffsetCommitEntry> entries, ErrorCode[] errors, long now)
    {
        var records = new List<(byte[] Key, byte[]? Value)>(entries.Count);
        var written = new List<int>(entries.Count);
        for (int i = 0; i < entries.Count; i++)
        {
            OffsetCommitEntry entry = entries[i];
            if (entry.Metadata is { } metadata && metadata.Length > Options.OffsetMetadataMaxBytes)
            {
                errors[i] = ErrorCode.OffsetMetadataTooLarge;
                continue;
            }
            if (_broker.FindPartition(entry.Topic, entry.Partition) is null)
            {
                errors[i] = ErrorCode.UnknownTopicOrPartition;
                continue;
            }
            records.Add((OffsetsRecordCodec.OffsetKey(groupId, entry.Topic, entry.Partition), OffsetsRecordCodec.OffsetValue(Committed(entry, now))));
            written.Add(i);
        }
        return (records, written);
    }

    private static CommittedOffset Committed(OffsetCommitEntry entry, long now) => new(entry.Offset, entry.LeaderEpoch, entry.Metadata ?? "", now);

    private ErrorCode ValidateCommitter(OffsetCommitter committer)
    {
        if (committer.GroupId.Length == 0)
        {
            return ErrorCode.InvalidGroupId;
        }
        lock (_lock)
        {
            if (_consumerGroups.TryGetValue(committer.GroupId, out Consumer.ConsumerGroup? consumerGroup))
            {
                return ValidateConsumerCommitter(consumerGroup, committer);
            }
            if (!_groups.TryGetValue(committer.GroupId, out ClassicGroup? group))
            {
                if (committer.Generation >= 0)
                {
                    return ErrorCode.IllegalGeneration;
                }
                _groups[committer.GroupId] = new ClassicGroup(committer.GroupId, NowMs);
                return ErrorCode.None;
            }
            if (group.State == GroupState.Dead)
            {
                return ErrorCode.CoordinatorNotAvailable;
            }
            if (committer.Generation < 0 && group.State == GroupState.Empty)
            {
                return ErrorCode.None;
            }
            if (group.IsStaticMemberFenced(committer.GroupInstanceId, committer.MemberId))
            {
                return ErrorCode.FencedInstanceId;
            }
            GroupMember? member = group.Find(committer.MemberId);
            if (member is null)
            {
                return ErrorCode.UnknownMemberId;
            }
            if (committer.Generation != group.Generation)
            {
                return ErrorCode.IllegalGeneration;
            }
            if (group.State == GroupState.CompletingRebalance)
            {
                return ErrorCode.RebalanceInProgress;
            }
            if (group.State == GroupState.Stable && member.JoinWaiter is null)
            {
                ScheduleSessionExpiry(group, member);
            }
            return ErrorCode.None;
        }
    }

    /// <summary>The committed offset of each asked partition (null: none); all the group's offsets when <paramref name="partitions"/> is null. False when the group is unknown.</summary>
    public bool TryFetchOffsets(string groupId, IReadOnlyList<(string Topic, int Partition)>? partitions, out List<(string Topic, int Partition, CommittedOffset? Value)> offsets)
    {
        offsets = [];
        lock (_lock)
        {
            if (!_groups.TryGetValue(groupId ?? "", out ClassicGroup? group) || group.State == GroupState.Dead)
            {
                if (partitions is not null)
                {
                    foreach ((string topic, int partition) in partitions)
                    {
                        offsets.Add((topic, partition, null));
                    }
                }
                return false;
            }
            if (partitions is null)
            {
                foreach (((string topic, int partition), OffsetEntry entry) in group.Offsets)
                {
                    offsets.Add((topic, partition, entry.Value));
                }
                offsets.Sort((a, b) => a.Topic != b.Topic ? string.CompareOrdinal(a.Topic, b.Topic) : a.Partition.CompareTo(b.Partition));
                return true;
            }
            foreach ((string topic, int partition) in partitions)
            {
                offsets.Add((topic, partition, group.Offsets.TryGetValue((topic, partition), out OffsetEntry? entry) ? entry.Value : null));
            }
            return true;
        }
    }

    /// <summary>OffsetDelete: the group-level error, and per partition GROUP_SUBSCRIBED_TO_TOPIC when an active member still subscribes to its topic.</summary>
    public async Task<(ErrorCode GroupError, ErrorCode[] Errors)> DeleteOffsetsAsync(string groupId, IReadOnlyList<(string Topic, int Partition)> partitions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        var errors = new ErrorCode[partitions.Count];
        var records = new List<(byte[] Key, byte[]? Value)>();
        var deleted = new List<(string Topic, int Partition)>();
        lock (_lock)
        {
            if (string.IsNullOrEmpty(groupId))
            {
                return (ErrorCode.InvalidGroupId, errors);
            }
            if (!_groups.TryGetValue(groupId, out ClassicGroup? group) || group.State == GroupState.Dead)
            {
                return (ErrorCode.GroupIdNotFound, errors);
            }
            if (group.State != GroupState.Empty && group.ProtocolType is not null and not "consumer")
            {
                return (ErrorCode.NonEmptyGroup, errors);
            }
            HashSet<string> subscribed = group.State == GroupState.Empty ? [] : SubscribedTopics(group);
            subscribed.UnionWith(ConsumerSubscribedTopics(groupId));
            for (int i = 0; i < partitions.Count; i++)
            {
                (string topic, int partition) = partitions[i];
                if (subscribed.Contains(topic))
                {
                    errors[i] = ErrorCode.GroupSubscribedToTopic;
                    continue;
                }
                if (group.Offsets.ContainsKey((topic, partition)))
                {
                    records.Add((OffsetsRecordCodec.OffsetKey(groupId, topic, partition), null));
                    deleted.Add((topic, partition));
                }
            }
        }
        if (records.Count == 0)
        {
            return (ErrorCode.None, errors);
        }
        (ErrorCode error, long baseOffset) = await AppendAsync(groupId, records, cancellationToken);
        if (error != ErrorCode.None)
        {
            return (error, errors);
        }
        lock (_lock)
        {
            ApplyOffsetTombstones(groupId, deleted, baseOffset);
        }
        return (ErrorCode.None, errors);
    }

    /// <summary>
    /// A deleted topic's committed offsets go from every group, as Kafka removes them when a topic
    /// is deleted: a topic created again under the name must not resume groups at offsets of the
    /// old one (tombstones, so a restart does not bring them back). Returns the offsets removed.
    /// </summary>
    public async Task<int> DeleteOffsetsOfTopicAsync(string topic, CancellationToken cancellationToken)
    {
        var byGroup = new List<(string GroupId, List<(byte[] Key, byte[]? Value)> Records, List<(string Topic, int Partition)> Partitions)>();
        lock (_lock)
        {
            foreach (ClassicGroup group in _groups.Values)
            {
                List<(byte[] Key, byte[]? Value)>? records = null;
                List<(string Topic, int Partition)>? partitions = null;
                foreach ((string offsetTopic, int partition) in group.Offsets.Keys)
                {
                    if (offsetTopic == topic)
                    {
                        (records ??= []).Add((OffsetsRecordCodec.OffsetKey(group.GroupId, topic, partition), null));
                        (partitions ??= []).Add((topic, partition));
                    }
                }
                if (records is not null)
                {
                    byGroup.Add((group.GroupId, records, partitions!));
                }
            }
        }
        int removed = 0;
        foreach ((string groupId, List<(byte[] Key, byte[]? Value)> records, List<(string Topic, int Partition)> partitions) in byGroup)
        {
            (ErrorCode error, long baseOffset) = await AppendAsync(groupId, records, cancellationToken);
            if (error != ErrorCode.None)
            {
                continue; // the offsets stay; OffsetDelete or their expiry removes them later
            }
            lock (_lock)
            {
                ApplyOffsetTombstones(groupId, partitions, baseOffset);
            }
            removed += partitions.Count;
        }
        return removed;
    }

    /// <summary>Under the lock: applies offset tombstones appended in the order of <paramref name="partitions"/> from <paramref name="baseOffset"/>, and drops the partitions' lag gauges.</summary>
    private void ApplyOffsetTombstones(string groupId, List<(string Topic, int Partition)> partitions, long baseOffset)
    {
        for (int n = 0; n < partitions.Count; n++)
        {
            ApplyOffset(groupId, partitions[n].Topic, partitions[n].Partition, null, baseOffset + n);
            RemoveLagGauge(groupId, partitions[n].Topic, partitions[n].Partition);
        }
    }

    /// <summary>The topics the group's members subscribe to, from their consumer-protocol subscriptions.</summary>
    private static HashSet<string> SubscribedTopics(ClassicGroup group)
    {
        var topics = new HashSet<string>(StringComparer.Ordinal);
        foreach (GroupMember member in group.Members)
        {
            if (member.MetadataFor(group.ProtocolName ?? "") is { } metadata && ConsumerProtocol.TryReadSubscription(metadata, out List<string> subscribed))
            {
                topics.UnionWith(subscribed);
            }
        }
        return topics;
    }

    /// <summary>offsets.retention.minutes: an empty group's offsets expire that long after it became empty (or after their commit, if later); a group with none left is deleted.</summary>
    internal void ExpireOffsets()
    {
        long now = NowMs;
        long retention = (long)Options.OffsetsRetention.TotalMilliseconds;
        var expired = new List<(string GroupId, List<(byte[] Key, byte[]? Value)> Records, List<(string Topic, int Partition)> Partitions, bool DeleteGroup)>();
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }
            foreach (ClassicGroup group in _groups.Values)
            {
                if (group.State != GroupState.Empty || IsActiveConsumerGroup(group.GroupId))
                {
                    continue;
                }
                var records = new List<(byte[] Key, byte[]? Value)>();
                var partitions = new List<(string Topic, int Partition)>();
                foreach (((string topic, int partition), OffsetEntry entry) in group.Offsets)
                {
                    long from = Math.Max(group.StateTimestamp, entry.Value.CommitTimestamp);
                    bool due = entry.Value.ExpireTimestamp >= 0 ? entry.Value.ExpireTimestamp <= now : from + retention <= now;
                    if (due)
                    {
                        records.Add((OffsetsRecordCodec.OffsetKey(group.GroupId, topic, partition), null));
                        partitions.Add((topic, partition));
                    }
                }
                bool deleteGroup = partitions.Count == group.Offsets.Count && group.StateTimestamp + retention <= now;
                if (deleteGroup)
                {
                    records.Add((OffsetsRecordCodec.GroupKey(group.GroupId), null));
                }
                if (records.Count > 0)
                {
                    expired.Add((group.GroupId, records, partitions, deleteGroup));
                }
            }
        }
        foreach (var (groupId, records, partitions, deleteGroup) in expired)
        {
            _ = RemoveExpiredAsync(groupId, records, partitions, deleteGroup);
        }
    }

    private async Task RemoveExpiredAsync(string groupId, List<(byte[] Key, byte[]? Value)> records, List<(string Topic, int Partition)> partitions, bool deleteGroup)
    {
        try
        {
            (ErrorCode error, long baseOffset) = await AppendAsync(groupId, records, CancellationToken.None);
            if (error != ErrorCode.None)
            {
                return;
            }
            lock (_lock)
            {
                ApplyOffsetTombstones(groupId, partitions, baseOffset);
                if (deleteGroup && _groups.TryGetValue(groupId, out ClassicGroup? group) && group.State == GroupState.Empty && group.Offsets.Count == 0)
                {
                    group.State = GroupState.Dead;
                    _groups.Remove(groupId);
                }
            }
        }
        catch (ObjectDisposedException)
        {
            // Shutting down; the next start expires them again.
        }
    }
}
