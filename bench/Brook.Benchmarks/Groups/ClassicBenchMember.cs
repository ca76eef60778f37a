using System.Buffers;
using Brook.Client;
using Brook.Client.Connections;
using Brook.Protocol.Errors;
using Brook.Protocol.Messages;
using Brook.Protocol.Primitives;

namespace Brook.Benchmarks.Groups;

/// <summary>
/// A classic-protocol consumer group member on its own connection, speaking the wire protocol
/// directly (JoinGroup with KIP-394 member id, SyncGroup, OffsetCommit), as the real clients do.
/// The leader assigns ranges of one topic's partitions.
/// </summary>
internal sealed class ClassicBenchMember(KafkaConnection connection, string groupId, string topic, int partitions) : IAsyncDisposable
{
    public string MemberId { get; private set; } = "";

    public int Generation { get; private set; } = -1;

    public List<int> Assigned { get; } = [];

    private long _offset;

    /// <summary>The next offset this member commits: one more than the last, across warm-up and measurement.</summary>
    public long NextOffset() => ++_offset;

    public static async Task<ClassicBenchMember> ConnectAsync(string host, int port, string groupId, string topic, int partitions)
    {
        KafkaConnection connection = await KafkaConnection.ConnectAsync(host, port, new KafkaClientOptions { RequestTimeout = TimeSpan.FromMinutes(2) });
        return new ClassicBenchMember(connection, groupId, topic, partitions);
    }

    /// <summary>First JoinGroup: no member id, so the coordinator hands one out (MEMBER_ID_REQUIRED).</summary>
    public async Task GetMemberIdAsync()
    {
        JoinGroupResponse first = await connection.SendAsync<JoinGroupResponse>(Join(""));
        if (first.ErrorCode != (short)ErrorCode.MemberIdRequired)
        {
            throw new InvalidOperationException("expected MEMBER_ID_REQUIRED, got " + (ErrorCode)first.ErrorCode);
        }
        MemberId = first.MemberId;
    }

    /// <summary>The real JoinGroup (answered when the join phase ends), then SyncGroup (the leader sends the assignment).</summary>
    public async Task JoinAndSyncAsync()
    {
        JoinGroupResponse joined = await connection.SendAsync<JoinGroupResponse>(Join(MemberId));
        Check(joined.ErrorCode, "JoinGroup");
        Generation = joined.GenerationId;
        var sync = new SyncGroupRequest { GroupId = groupId, GenerationId = Generation, MemberId = MemberId, ProtocolType = "consumer", ProtocolName = "range" };
        if (joined.Leader == MemberId)
        {
            var members = joined.Members.ConvertAll(m => m.MemberId);
            members.Sort(StringComparer.Ordinal);
            int each = partitions / members.Count;
            int extra = partitions % members.Count;
            int next = 0;
            for (int i = 0; i < members.Count; i++)
            {
                int count = each + (i < extra ? 1 : 0);
                sync.Assignments.Add(new SyncGroupRequest.SyncGroupRequestAssignment { MemberId = members[i], Assignment = Assignment(Enumerable.Range(next, count)) });
                next += count;
            }
        }
        SyncGroupResponse synced = await connection.SendAsync<SyncGroupResponse>(sync);
        Check(synced.ErrorCode, "SyncGroup");
        Assigned.Clear();
        Assigned.AddRange(ReadAssignment(synced.Assignment));
    }

    public async Task<short> CommitAsync(int partition, long offset)
    {
        var request = new OffsetCommitRequest { GroupId = groupId, GenerationIdOrMemberEpoch = Generation, MemberId = MemberId };
        request.Topics.Add(new OffsetCommitRequest.OffsetCommitRequestTopic
        {
            Name = topic,
            Partitions = [new OffsetCommitRequest.OffsetCommitRequestPartition { PartitionIndex = partition, CommittedOffset = offset }],
        });
        OffsetCommitResponse response = await connection.SendAsync<OffsetCommitResponse>(request);
        return response.Topics[0].Partitions[0].ErrorCode;
    }

    private JoinGroupRequest Join(string memberId) => new()
    {
        GroupId = groupId,
        SessionTimeoutMs = 30_000,
        RebalanceTimeoutMs = 60_000,
        MemberId = memberId,
        ProtocolType = "consumer",
        Protocols = [new JoinGroupRequest.JoinGroupRequestProtocol { Name = "range", Metadata = Subscription() }],
    };

    private byte[] Subscription()
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new KafkaWriter(output);
        writer.WriteInt16(0);
        new ConsumerProtocolSubscription { Topics = [topic] }.Write(ref writer, 0);
        return output.WrittenSpan.ToArray();
    }

    private byte[] Assignment(IEnumerable<int> assigned)
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new KafkaWriter(output);
        writer.WriteInt16(0);
        new ConsumerProtocolAssignment { AssignedPartitions = [new ConsumerProtocolAssignment.TopicPartition { Topic = topic, Partitions = [.. assigned] }] }.Write(ref writer, 0);
        return output.WrittenSpan.ToArray();
    }

    private static List<int> ReadAssignment(ReadOnlyMemory<byte> bytes)
    {
        if (bytes.Length < 2)
        {
            return [];
        }
        var reader = new KafkaReader(bytes);
        short version = reader.ReadInt16();
        var assignment = new ConsumerProtocolAssignment();
        assignment.Read(ref reader, version);
        return assignment.AssignedPartitions.SelectMany(p => p.Partitions).ToList();
    }

    private static void Check(short error, string api)
    {
        if (error != 0)
        {
            throw new InvalidOperationException(api + " failed: " + (ErrorCode)error);
        }
    }

    public ValueTask DisposeAsync() => connection.DisposeAsync();
}
