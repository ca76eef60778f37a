using Brook.Client.Connections;
using Brook.Protocol.Errors;
using Brook.Protocol.Messages;

namespace Brook.Client.Admin;

/// <summary>Group administration: each call goes to the group's coordinator (FindCoordinator).</summary>
public sealed partial class KafkaAdminClient
{
    /// <summary>The connection to the coordinator of <paramref name="groupId"/>.</summary>
    public Task<KafkaConnection> GetGroupCoordinatorAsync(string groupId, CancellationToken cancellationToken = default) =>
        GetCoordinatorAsync(groupId, keyType: 0, cancellationToken);

    /// <summary>The connection to the coordinator of a group (key type 0) or a transactional id (1).</summary>
    public async Task<KafkaConnection> GetCoordinatorAsync(string key, sbyte keyType, CancellationToken cancellationToken = default)
    {
        string groupId = key;
        KafkaConnection any = await Cluster.GetAnyConnectionAsync(cancellationToken);
        bool batched = any.VersionFor(ApiKey.FindCoordinator) >= 4;
        var request = new FindCoordinatorRequest { Key = batched ? "" : key, KeyType = keyType };
        if (batched)
        {
            request.CoordinatorKeys.Add(key);
        }
        FindCoordinatorResponse response = await any.SendAsync<FindCoordinatorResponse>(request, cancellationToken);
        (short error, string? message, int nodeId) = batched && response.Coordinators.Count > 0
            ? (response.Coordinators[0].ErrorCode, response.Coordinators[0].ErrorMessage, response.Coordinators[0].NodeId)
            : (response.ErrorCode, response.ErrorMessage, response.NodeId);
        ThrowOnError((ErrorCode)error, string.IsNullOrEmpty(message) ? $"'{groupId}': {((ErrorCode)error).Message()}" : message);
        await Cluster.GetMetadataAsync(cancellationToken);
        return await Cluster.GetConnectionAsync(nodeId, cancellationToken);
    }

    /// <summary>Every group the brokers know, sorted by id.</summary>
    public async Task<IReadOnlyList<GroupListing>> ListGroupsAsync(CancellationToken cancellationToken = default)
    {
        ClusterMetadata metadata = await Cluster.GetMetadataAsync(cancellationToken);
        var groups = new List<GroupListing>();
        foreach (int node in metadata.Brokers.Keys)
        {
            KafkaConnection connection = await Cluster.GetConnectionAsync(node, cancellationToken);
            ListGroupsResponse response = await connection.SendAsync<ListGroupsResponse>(new ListGroupsRequest(), cancellationToken);
            ThrowOnError((ErrorCode)response.ErrorCode, null);
            foreach (ListGroupsResponse.ListedGroup group in response.Groups)
            {
                groups.Add(new GroupListing(group.GroupId, group.ProtocolType, group.GroupState, string.IsNullOrEmpty(group.GroupType) ? "classic" : group.GroupType));
            }
        }
        groups.Sort((a, b) => string.CompareOrdinal(a.GroupId, b.GroupId));
        return groups;
    }

    /// <summary>State, protocol and members (with decoded assignments) of a group.</summary>
    public async Task<GroupDescription> DescribeGroupAsync(string groupId, CancellationToken cancellationToken = default)
    {
        KafkaConnection coordinator = await GetGroupCoordinatorAsync(groupId, cancellationToken);
        var request = new DescribeGroupsRequest();
        request.Groups.Add(groupId);
        DescribeGroupsResponse response = await coordinator.SendAsync<DescribeGroupsResponse>(request, cancellationToken);
        DescribeGroupsResponse.DescribedGroup group = response.Groups.Single();
        ThrowOnError((ErrorCode)group.ErrorCode, $"group '{groupId}': {((ErrorCode)group.ErrorCode).Message()}");
        var members = new List<GroupMemberDescription>(group.Members.Count);
        foreach (DescribeGroupsResponse.DescribedGroupMember member in group.Members)
        {
            IReadOnlyList<TopicPartition> assignment = group.ProtocolType == "consumer"
                ? ConsumerProtocolCodec.ReadAssignment(member.MemberAssignment)
                : [];
            members.Add(new GroupMemberDescription(member.MemberId, member.GroupInstanceId, member.ClientId, member.ClientHost, assignment));
        }
        return new GroupDescription(group.GroupId, group.GroupState, group.ProtocolType, group.ProtocolData, members);
    }

    /// <summary>The group's committed offsets; <paramref name="partitions"/> null means every partition it has committed.</summary>
    public async Task<IReadOnlyDictionary<TopicPartition, CommittedOffset>> FetchCommittedOffsetsAsync(string groupId,
        IEnumerable<TopicPartition>? partitions = null, CancellationToken cancellationToken = default)
    {
        KafkaConnection coordinator = await GetGroupCoordinatorAsync(groupId, cancellationToken);
        var request = new OffsetFetchRequest();
        var byTopic = partitions?.GroupBy(p => p.Topic).ToArray();
        var result = new Dictionary<TopicPartition, CommittedOffset>();
        if (coordinator.VersionFor(ApiKey.OffsetFetch) >= 8)
        {
            var group = new OffsetFetchRequest.OffsetFetchRequestGroup { GroupId = groupId, Topics = byTopic is null ? null : [] };
            foreach (IGrouping<string, TopicPartition> topic in byTopic ?? [])
            {
                group.Topics!.Add(new OffsetFetchRequest.OffsetFetchRequestTopics { Name = topic.Key, PartitionIndexes = [.. topic.Select(p => p.Partition)] });
            }
            request.Groups.Add(group);
            OffsetFetchResponse response = await coordinator.SendAsync<OffsetFetchResponse>(request, cancellationToken);
            OffsetFetchResponse.OffsetFetchResponseGroup answered = response.Groups.Single();
            ThrowOnError((ErrorCode)answered.ErrorCode, $"group '{groupId}': {((ErrorCode)answered.ErrorCode).Message()}");
            foreach (OffsetFetchResponse.OffsetFetchResponseTopics topic in answered.Topics)
            {
                foreach (OffsetFetchResponse.OffsetFetchResponsePartitions partition in topic.Partitions)
                {
                    ThrowOnPartitionError((ErrorCode)partition.ErrorCode, topic.Name, partition.PartitionIndex);
                    result[new TopicPartition(topic.Name, partition.PartitionIndex)] = new CommittedOffset(partition.CommittedOffset, partition.CommittedLeaderEpoch, partition.Metadata);
                }
            }
            return result;
        }
        request.GroupId = groupId;
        request.Topics = byTopic is null ? null : [];
        foreach (IGrouping<string, TopicPartition> topic in byTopic ?? [])
        {
            request.Topics!.Add(new OffsetFetchRequest.OffsetFetchRequestTopic { Name = topic.Key, PartitionIndexes = [.. topic.Select(p => p.Partition)] });
        }
        OffsetFetchResponse legacy = await coordinator.SendAsync<OffsetFetchResponse>(request, cancellationToken);
        ThrowOnError((ErrorCode)legacy.ErrorCode, $"group '{groupId}': {((ErrorCode)legacy.ErrorCode).Message()}");
        foreach (OffsetFetchResponse.OffsetFetchResponseTopic topic in legacy.Topics)
        {
            foreach (OffsetFetchResponse.OffsetFetchResponsePartition partition in topic.Partitions)
            {
                ThrowOnPartitionError((ErrorCode)partition.ErrorCode, topic.Name, partition.PartitionIndex);
                result[new TopicPartition(topic.Name, partition.PartitionIndex)] = new CommittedOffset(partition.CommittedOffset, partition.CommittedLeaderEpoch, partition.Metadata);
            }
        }
        return result;
    }

    /// <summary>
    /// Commits offsets for a group. Without a member (generation -1) the coordinator accepts it only
    /// while the group has no active members, which is what <c>brook group seek</c> needs.
    /// </summary>
    public async Task CommitOffsetsAsync(string groupId, IEnumerable<KeyValuePair<TopicPartition, long>> offsets,
        int generationId = -1, string memberId = "", string? groupInstanceId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(offsets);
        KafkaConnection coordinator = await GetGroupCoordinatorAsync(groupId, cancellationToken);
        OffsetCommitRequest request = BuildCommit(groupId, offsets, generationId, memberId, groupInstanceId);
        OffsetCommitResponse response = await coordinator.SendAsync<OffsetCommitResponse>(request, cancellationToken);
        foreach (OffsetCommitResponse.OffsetCommitResponseTopic topic in response.Topics)
        {
            foreach (OffsetCommitResponse.OffsetCommitResponsePartition partition in topic.Partitions)
            {
                ThrowOnPartitionError((ErrorCode)partition.ErrorCode, topic.Name, partition.PartitionIndex);
            }
        }
    }

    internal static OffsetCommitRequest BuildCommit(string groupId, IEnumerable<KeyValuePair<TopicPartition, long>> offsets,
        int generationId, string memberId, string? groupInstanceId)
    {
        var request = new OffsetCommitRequest { GroupId = groupId, GenerationIdOrMemberEpoch = generationId, MemberId = memberId, GroupInstanceId = groupInstanceId };
        foreach (IGrouping<string, KeyValuePair<TopicPartition, long>> topic in offsets.GroupBy(o => o.Key.Topic))
        {
            var committed = new OffsetCommitRequest.OffsetCommitRequestTopic { Name = topic.Key };
            foreach (KeyValuePair<TopicPartition, long> partition in topic)
            {
                committed.Partitions.Add(new OffsetCommitRequest.OffsetCommitRequestPartition { PartitionIndex = partition.Key.Partition, CommittedOffset = partition.Value });
            }
            request.Topics.Add(committed);
        }
        return request;
    }

    /// <summary>Deletes groups (only empty ones; a group with members answers NON_EMPTY_GROUP).</summary>
    public async Task<IReadOnlyList<GroupResult>> DeleteGroupsAsync(IEnumerable<string> groupIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(groupIds);
        var results = new List<GroupResult>();
        foreach (string groupId in groupIds)
        {
            KafkaConnection coordinator = await GetGroupCoordinatorAsync(groupId, cancellationToken);
            var request = new DeleteGroupsRequest();
            request.GroupsNames.Add(groupId);
            DeleteGroupsResponse response = await coordinator.SendAsync<DeleteGroupsResponse>(request, cancellationToken);
            results.AddRange(response.Results.Select(r => new GroupResult(r.GroupId, (ErrorCode)r.ErrorCode)));
        }
        return results;
    }

    /// <summary>Deletes a group's committed offsets of some partitions (OffsetDelete); returns per-partition errors.</summary>
    public async Task<IReadOnlyDictionary<TopicPartition, ErrorCode>> DeleteCommittedOffsetsAsync(string groupId, IEnumerable<TopicPartition> partitions,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        KafkaConnection coordinator = await GetGroupCoordinatorAsync(groupId, cancellationToken);
        var request = new OffsetDeleteRequest { GroupId = groupId };
        foreach (IGrouping<string, TopicPartition> topic in partitions.GroupBy(p => p.Topic))
        {
            var deleted = new OffsetDeleteRequest.OffsetDeleteRequestTopic { Name = topic.Key };
            foreach (TopicPartition partition in topic)
            {
                deleted.Partitions.Add(new OffsetDeleteRequest.OffsetDeleteRequestPartition { PartitionIndex = partition.Partition });
            }
            request.Topics.Add(deleted);
        }
        OffsetDeleteResponse response = await coordinator.SendAsync<OffsetDeleteResponse>(request, cancellationToken);
        ThrowOnError((ErrorCode)response.ErrorCode, $"group '{groupId}': {((ErrorCode)response.ErrorCode).Message()}");
        var result = new Dictionary<TopicPartition, ErrorCode>();
        foreach (OffsetDeleteResponse.OffsetDeleteResponseTopic topic in response.Topics)
        {
            foreach (OffsetDeleteResponse.OffsetDeleteResponsePartition partition in topic.Partitions)
            {
                result[new TopicPartition(topic.Name, partition.PartitionIndex)] = (ErrorCode)partition.ErrorCode;
            }
        }
        return result;
    }
}
