using System.Globalization;
using Brook.Broker.Partitions;
using Brook.Protocol.Errors;

namespace Brook.Broker.Groups;

/// <summary>ListGroups, DescribeGroups, DeleteGroups and lag.</summary>
public sealed partial class GroupCoordinator
{
    public List<GroupListing> ListGroups()
    {
        lock (_lock)
        {
            var listings = new List<GroupListing>(_groups.Count);
            foreach (ClassicGroup group in _groups.Values)
            {
                listings.Add(ConsumerListing(group.GroupId) ?? new GroupListing(group.GroupId, group.ProtocolType ?? "", group.State));
            }
            listings.Sort((a, b) => string.CompareOrdinal(a.GroupId, b.GroupId));
            return listings;
        }
    }

    /// <summary>Kafka describes an unknown group as Dead, with no members and no error.</summary>
    public GroupDescription DescribeGroup(string groupId)
    {
        lock (_lock)
        {
            // Kafka's DescribeGroups knows classic groups only; a consumer group reads as Dead (ConsumerGroupDescribe describes it).
            if (!_groups.TryGetValue(groupId ?? "", out ClassicGroup? group) || IsConsumerGroup(group.GroupId))
            {
                return new GroupDescription(groupId ?? "", GroupState.Dead, "", "", []);
            }
            bool stable = group.State == GroupState.Stable;
            var members = new List<MemberDescription>(group.Members.Count);
            foreach (GroupMember member in group.Members)
            {
                members.Add(new MemberDescription(member.MemberId, member.GroupInstanceId, member.ClientId, member.ClientHost,
                    stable ? member.MetadataFor(group.ProtocolName ?? "") ?? [] : [], stable ? member.Assignment : []));
            }
            return new GroupDescription(group.GroupId, group.State, group.ProtocolType ?? "", stable ? group.ProtocolName ?? "" : "", members);
        }
    }

    /// <summary>DeleteGroups: only an empty group goes; its offsets and metadata get tombstones.</summary>
    public async Task<ErrorCode> DeleteGroupAsync(string groupId, CancellationToken cancellationToken)
    {
        var records = new List<(byte[] Key, byte[]? Value)>();
        lock (_lock)
        {
            if (string.IsNullOrEmpty(groupId))
            {
                return ErrorCode.InvalidGroupId;
            }
            if (!_groups.TryGetValue(groupId, out ClassicGroup? group) || group.State == GroupState.Dead)
            {
                return ErrorCode.GroupIdNotFound;
            }
            if (group.State != GroupState.Empty || AddConsumerGroupDeletion(groupId, records) != ErrorCode.None)
            {
                return ErrorCode.NonEmptyGroup;
            }
            foreach ((string topic, int partition) in group.Offsets.Keys)
            {
                records.Add((OffsetsRecordCodec.OffsetKey(groupId, topic, partition), null));
            }
            records.Add((OffsetsRecordCodec.GroupKey(groupId), null));
        }
        (ErrorCode error, _) = await AppendAsync(groupId, records, cancellationToken);
        if (error != ErrorCode.None)
        {
            return error;
        }
        lock (_lock)
        {
            if (_groups.TryGetValue(groupId, out ClassicGroup? group) && group.State == GroupState.Empty)
            {
                foreach ((string topic, int partition) in group.Offsets.Keys)
                {
                    RemoveLagGauge(groupId, topic, partition);
                }
                group.State = GroupState.Dead;
                _groups.Remove(groupId);
            }
            ForgetConsumerGroup(groupId);
        }
        return ErrorCode.None;
    }

    /// <summary>Per partition with a committed offset: committed offset, log end offset and lag (for the CLI and the metrics).</summary>
    public List<GroupLag> DescribeLag(string groupId)
    {
        var lags = new List<GroupLag>();
        if (!TryFetchOffsets(groupId, null, out var offsets))
        {
            return lags;
        }
        foreach ((string topic, int partition, CommittedOffset? value) in offsets)
        {
            PartitionLeader? leader = _broker.FindPartition(topic, partition);
            long end = leader?.HighWatermark ?? 0;
            var lag = new GroupLag(groupId, topic, partition, value!.Offset, end);
            lags.Add(lag);
            _lagGauges?.WithLabels(groupId, topic, partition.ToString(CultureInfo.InvariantCulture)).Set(lag.Lag);
        }
        return lags;
    }

    /// <summary>Brings every group's lag gauges up to date (called before a scrape and by the retention check).</summary>
    public void RefreshLagMetrics()
    {
        if (_lagGauges is null)
        {
            return;
        }
        foreach (GroupListing listing in ListGroups())
        {
            DescribeLag(listing.GroupId);
        }
    }

    private void UpdateLag(string groupId, IReadOnlyList<OffsetCommitEntry> entries, List<int> written)
    {
        if (_lagGauges is not { } gauges)
        {
            return;
        }
        foreach (int i in written)
        {
            OffsetCommitEntry entry = entries[i];
            long end = _broker.FindPartition(entry.Topic, entry.Partition)?.HighWatermark ?? 0;
            gauges.WithLabels(groupId, entry.Topic, entry.Partition.ToString(CultureInfo.InvariantCulture)).Set(Math.Max(end - entry.Offset, 0));
        }
    }

    private void RemoveLagGauge(string groupId, string topic, int partition) =>
        _lagGauges?.Remove(groupId, topic, partition.ToString(CultureInfo.InvariantCulture));
}
