using System.Buffers;
using Brook.Protocol.Primitives;

namespace Brook.Broker.Groups.Consumer;

/// <summary>
/// Kafka's KIP-848 record schemas of <c>__consumer_offsets</c>: keys are versions 3-8 (group id,
/// and member id for the per-member ones) in the classic encoding; values are version 0 of their
/// flexible schemas (compact strings and arrays, tagged-field sections).
/// </summary>
internal static class ConsumerGroupRecordCodec
{
    public const short GroupEpochKey = 3;
    public const short SubscriptionKey = 4;
    public const short MemberKey = 5;
    public const short TargetEpochKey = 6;
    public const short TargetMemberKey = 7;
    public const short CurrentAssignmentKey = 8;

    public static (byte[] Key, byte[]? Value) Encode(OffsetsRecord record) => record switch
    {
        ConsumerGroupEpochRecord r => (Key(GroupEpochKey, r.GroupId, null), r.Epoch is { } epoch ? Value(w => w.WriteInt32(epoch)) : null),
        ConsumerGroupSubscriptionRecord r => (Key(SubscriptionKey, r.GroupId, null), r.Topics is null ? null : Value(w => WriteTopics(w, r.Topics))),
        ConsumerGroupMemberRecord r => (Key(MemberKey, r.GroupId, r.MemberId), r.Value is null ? null : Value(w => WriteMember(w, r.Value))),
        ConsumerGroupTargetEpochRecord r => (Key(TargetEpochKey, r.GroupId, null), r.Epoch is { } epoch ? Value(w => w.WriteInt32(epoch)) : null),
        ConsumerGroupTargetMemberRecord r => (Key(TargetMemberKey, r.GroupId, r.MemberId), r.Partitions is null ? null : Value(w => WritePartitions(w, r.Partitions))),
        ConsumerGroupCurrentAssignmentRecord r => (Key(CurrentAssignmentKey, r.GroupId, r.MemberId), r.Value is null ? null : Value(w => WriteAssignment(w, r.Value))),
        _ => throw new ArgumentException("Not a consumer group record.", nameof(record)),
    };

    private static byte[] Key(short version, string groupId, string? memberId)
    {
        var output = new ArrayBufferWriter<byte>(64);
        var writer = new KafkaWriter(output);
        writer.WriteInt16(version);
        writer.WriteString(groupId, compact: false);
        if (memberId is not null)
        {
            writer.WriteString(memberId, compact: false);
        }
        return output.WrittenSpan.ToArray();
    }

    private static byte[] Value(Action<KafkaWriterBox> body)
    {
        var output = new ArrayBufferWriter<byte>(128);
        var box = new KafkaWriterBox(output);
        box.WriteInt16(0);
        body(box);
        box.WriteUnsignedVarint(0);
        return output.WrittenSpan.ToArray();
    }

    private static void WriteTopics(KafkaWriterBox w, IReadOnlyList<SubscribedTopic> topics)
    {
        w.WriteArrayCount(topics.Count);
        foreach (SubscribedTopic topic in topics)
        {
            w.WriteUuid(topic.TopicId);
            w.WriteString(topic.Name);
            w.WriteInt32(topic.Partitions);
            w.WriteArrayCount(0);
            w.WriteUnsignedVarint(0);
        }
    }

    private static void WriteMember(KafkaWriterBox w, MemberSubscription member)
    {
        w.WriteNullableString(member.InstanceId);
        w.WriteNullableString(member.RackId);
        w.WriteString(member.ClientId);
        w.WriteString(member.ClientHost);
        w.WriteArrayCount(member.SubscribedTopicNames.Count);
        foreach (string topic in member.SubscribedTopicNames)
        {
            w.WriteString(topic);
        }
        w.WriteNullableString(null);
        w.WriteInt32(member.RebalanceTimeoutMs);
        w.WriteNullableString(member.ServerAssignor);
    }

    private static void WritePartitions(KafkaWriterBox w, TopicPartitionSet partitions)
    {
        int topics = 0;
        foreach (KeyValuePair<Uuid, SortedSet<int>> _ in partitions.Topics)
        {
            topics++;
        }
        w.WriteArrayCount(topics);
        foreach ((Uuid topicId, SortedSet<int> set) in partitions.Topics)
        {
            w.WriteUuid(topicId);
            w.WriteArrayCount(set.Count);
            foreach (int partition in set)
            {
                w.WriteInt32(partition);
            }
            w.WriteUnsignedVarint(0);
        }
    }

    private static void WriteAssignment(KafkaWriterBox w, MemberAssignment assignment)
    {
        w.WriteInt32(assignment.MemberEpoch);
        w.WriteInt32(assignment.PreviousMemberEpoch);
        w.WriteInt8((sbyte)assignment.State);
        WritePartitions(w, assignment.Assigned);
        WritePartitions(w, assignment.PendingRevocation);
    }

    /// <summary>Decodes a KIP-848 record (key versions 3-8); null when malformed.</summary>
    public static OffsetsRecord? Decode(short keyVersion, ref KafkaReader key, ReadOnlySpan<byte> value, bool valueIsNull)
    {
        string groupId = key.ReadString(compact: false);
        string? memberId = keyVersion is MemberKey or TargetMemberKey or CurrentAssignmentKey ? key.ReadString(compact: false) : null;
        if (key.HasError)
        {
            return null;
        }
        if (valueIsNull)
        {
            return keyVersion switch
            {
                GroupEpochKey => new ConsumerGroupEpochRecord(groupId, null),
                SubscriptionKey => new ConsumerGroupSubscriptionRecord(groupId, null),
                MemberKey => new ConsumerGroupMemberRecord(groupId, memberId!, null),
                TargetEpochKey => new ConsumerGroupTargetEpochRecord(groupId, null),
                TargetMemberKey => new ConsumerGroupTargetMemberRecord(groupId, memberId!, null),
                _ => new ConsumerGroupCurrentAssignmentRecord(groupId, memberId!, null),
            };
        }
        var reader = new KafkaReader(value.ToArray());
        if (reader.ReadInt16() < 0)
        {
            return null;
        }
        OffsetsRecord record = keyVersion switch
        {
            GroupEpochKey => new ConsumerGroupEpochRecord(groupId, reader.ReadInt32()),
            SubscriptionKey => new ConsumerGroupSubscriptionRecord(groupId, ReadTopics(ref reader)),
            MemberKey => new ConsumerGroupMemberRecord(groupId, memberId!, ReadMember(ref reader)),
            TargetEpochKey => new ConsumerGroupTargetEpochRecord(groupId, reader.ReadInt32()),
            TargetMemberKey => new ConsumerGroupTargetMemberRecord(groupId, memberId!, ReadPartitions(ref reader)),
            _ => new ConsumerGroupCurrentAssignmentRecord(groupId, memberId!, ReadAssignment(ref reader)),
        };
        reader.SkipTaggedFields();
        return reader.HasError ? null : record;
    }

    private static List<SubscribedTopic> ReadTopics(ref KafkaReader reader)
    {
        int count = reader.ReadArrayCount(compact: true);
        var topics = new List<SubscribedTopic>(count);
        for (int i = 0; i < count && !reader.HasError; i++)
        {
            Uuid id = reader.ReadUuid();
            string name = reader.ReadString(compact: true);
            int partitions = reader.ReadInt32();
            int metadata = reader.ReadArrayCount(compact: true);
            for (int m = 0; m < metadata && !reader.HasError; m++)
            {
                reader.ReadInt32();
                int racks = reader.ReadArrayCount(compact: true);
                for (int r = 0; r < racks && !reader.HasError; r++)
                {
                    reader.ReadString(compact: true);
                }
                reader.SkipTaggedFields();
            }
            reader.SkipTaggedFields();
            topics.Add(new SubscribedTopic(id, name, partitions));
        }
        return topics;
    }

    private static MemberSubscription ReadMember(ref KafkaReader reader)
    {
        string? instanceId = reader.ReadNullableString(compact: true);
        string? rackId = reader.ReadNullableString(compact: true);
        string clientId = reader.ReadString(compact: true);
        string clientHost = reader.ReadString(compact: true);
        int count = reader.ReadArrayCount(compact: true);
        var topics = new List<string>(count);
        for (int i = 0; i < count && !reader.HasError; i++)
        {
            topics.Add(reader.ReadString(compact: true));
        }
        reader.ReadNullableString(compact: true);
        int rebalanceTimeoutMs = reader.ReadInt32();
        string? assignor = reader.ReadNullableString(compact: true);
        return new MemberSubscription(instanceId, rackId, clientId, clientHost, topics, rebalanceTimeoutMs, assignor);
    }

    private static TopicPartitionSet ReadPartitions(ref KafkaReader reader)
    {
        var builder = new TopicPartitionSet.Builder();
        int topics = reader.ReadArrayCount(compact: true);
        for (int t = 0; t < topics && !reader.HasError; t++)
        {
            Uuid topicId = reader.ReadUuid();
            int count = reader.ReadArrayCount(compact: true);
            for (int i = 0; i < count && !reader.HasError; i++)
            {
                builder.Add(topicId, reader.ReadInt32());
            }
            reader.SkipTaggedFields();
        }
        return builder.Build();
    }

    private static MemberAssignment ReadAssignment(ref KafkaReader reader)
    {
        int epoch = reader.ReadInt32();
        int previous = reader.ReadInt32();
        var state = (ConsumerMemberState)reader.ReadInt8();
        TopicPartitionSet assigned = ReadPartitions(ref reader);
        TopicPartitionSet revoking = ReadPartitions(ref reader);
        return new MemberAssignment(epoch, previous, state, assigned, revoking);
    }

    /// <summary>A <see cref="KafkaWriter"/> (a ref struct) held in a class so lambdas can write through it; flexible encoding only.</summary>
    private sealed class KafkaWriterBox(IBufferWriter<byte> output)
    {
        private readonly IBufferWriter<byte> _output = output;

        private KafkaWriter Writer => new(_output);

        public void WriteInt8(sbyte value) => Writer.WriteInt8(value);

        public void WriteInt16(short value) => Writer.WriteInt16(value);

        public void WriteInt32(int value) => Writer.WriteInt32(value);

        public void WriteUuid(Uuid value) => Writer.WriteUuid(value);

        public void WriteUnsignedVarint(uint value) => Writer.WriteUnsignedVarint(value);

        public void WriteString(string value) => Writer.WriteString(value, compact: true);

        public void WriteNullableString(string? value) => Writer.WriteNullableString(value, compact: true);

        public void WriteArrayCount(int count) => Writer.WriteArrayCount(count, compact: true);
    }
}
