using Brook.Broker.Groups;
using Brook.Protocol.Messages;
using Brook.Protocol.Primitives;

namespace Brook.Broker.Tests.Groups;

/// <summary>
/// A KIP-848 member driven by a test: joins with epoch 0, then heartbeats with its epoch and the
/// partitions it owns; like a real consumer it takes on each assignment it receives at once
/// (revoking what is gone), unless the test says what it reports.
/// </summary>
internal sealed class ConsumerProtocolMember(GroupCoordinator groups, string groupId, string[] topics, string? instanceId = null, string? assignor = null)
{
    public string MemberId { get; set; } = "";

    public int Epoch { get; set; }

    public SortedSet<(Uuid TopicId, int Partition)> Owned { get; } = new(Comparer<(Uuid TopicId, int Partition)>.Create(static (a, b) =>
        a.TopicId == b.TopicId ? a.Partition.CompareTo(b.Partition) : string.CompareOrdinal(a.TopicId.ToString(), b.TopicId.ToString())));

    public ConsumerGroupHeartbeatResponse Last { get; private set; } = new();

    public int RebalanceTimeoutMs { get; set; } = 30_000;

    public Task<ConsumerGroupHeartbeatResponse> JoinAsync() => SendAsync(new ConsumerGroupHeartbeatRequest
    {
        GroupId = groupId,
        MemberId = MemberId,
        MemberEpoch = 0,
        InstanceId = instanceId,
        RebalanceTimeoutMs = RebalanceTimeoutMs,
        SubscribedTopicNames = [.. topics],
        ServerAssignor = assignor,
        TopicPartitions = [],
    });

    /// <summary>A heartbeat reporting <paramref name="owned"/> (default: what it owns).</summary>
    public Task<ConsumerGroupHeartbeatResponse> HeartbeatAsync(IEnumerable<(Uuid TopicId, int Partition)>? owned = null, int? epoch = null) => SendAsync(new ConsumerGroupHeartbeatRequest
    {
        GroupId = groupId,
        MemberId = MemberId,
        MemberEpoch = epoch ?? Epoch,
        TopicPartitions = Report(owned ?? Owned),
    });

    public Task<ConsumerGroupHeartbeatResponse> LeaveAsync(int epoch = -1) => SendAsync(new ConsumerGroupHeartbeatRequest
    {
        GroupId = groupId,
        MemberId = MemberId,
        MemberEpoch = epoch,
        InstanceId = instanceId,
    });

    private async Task<ConsumerGroupHeartbeatResponse> SendAsync(ConsumerGroupHeartbeatRequest request)
    {
        ConsumerGroupHeartbeatResponse response = await groups.ConsumerGroupHeartbeatAsync(request, "test-client", "/127.0.0.1", CancellationToken.None)
            .WaitAsync(Support.Eventually.Deadline);
        Last = response;
        if (response.ErrorCode != 0)
        {
            return response;
        }
        MemberId = response.MemberId ?? MemberId;
        Epoch = response.MemberEpoch;
        if (response.Assignment is { } assignment)
        {
            Owned.Clear();
            foreach (ConsumerGroupHeartbeatResponse.TopicPartitions topic in assignment.TopicPartitions)
            {
                foreach (int partition in topic.Partitions)
                {
                    Owned.Add((topic.TopicId, partition));
                }
            }
        }
        return response;
    }

    private static List<ConsumerGroupHeartbeatRequest.TopicPartitionsData> Report(IEnumerable<(Uuid TopicId, int Partition)> owned)
    {
        var topics = new List<ConsumerGroupHeartbeatRequest.TopicPartitionsData>();
        foreach ((Uuid topicId, int partition) in owned)
        {
            ConsumerGroupHeartbeatRequest.TopicPartitionsData? topic = topics.Find(t => t.TopicId == topicId);
            if (topic is null)
            {
                topic = new ConsumerGroupHeartbeatRequest.TopicPartitionsData { TopicId = topicId };
                topics.Add(topic);
            }
            topic.Partitions.Add(partition);
        }
        return topics;
    }
}
