using System.Buffers;
using Brook.Protocol.Primitives;

namespace Brook.Broker.Groups;

/// <summary>
/// Kafka's key and value schemas of <c>__consumer_offsets</c>, so Kafka tooling reads Brook's
/// records: keys are OffsetCommitKey (version 0/1: group, topic, partition) or GroupMetadataKey
/// (version 2: group); values are OffsetCommitValue (written as v3, read v0-v3) and
/// GroupMetadataValue (written as v3, read v0-v3). A null value is a tombstone.
/// </summary>
public static class OffsetsRecordCodec
{
    private const short OffsetKeyVersion = 1;
    private const short GroupKeyVersion = 2;
    private const short OffsetValueVersion = 3;
    private const short GroupValueVersion = 3;

    public static byte[] OffsetKey(string groupId, string topic, int partition)
    {
        var output = new ArrayBufferWriter<byte>(64);
        var writer = new KafkaWriter(output);
        writer.WriteInt16(OffsetKeyVersion);
        writer.WriteString(groupId, compact: false);
        writer.WriteString(topic, compact: false);
        writer.WriteInt32(partition);
        return output.WrittenSpan.ToArray();
    }

    public static byte[] GroupKey(string groupId)
    {
        var output = new ArrayBufferWriter<byte>(32);
        var writer = new KafkaWriter(output);
        writer.WriteInt16(GroupKeyVersion);
        writer.WriteString(groupId, compact: false);
        return output.WrittenSpan.ToArray();
    }

    public static byte[] OffsetValue(CommittedOffset value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var output = new ArrayBufferWriter<byte>(64);
        var writer = new KafkaWriter(output);
        writer.WriteInt16(OffsetValueVersion);
        writer.WriteInt64(value.Offset);
        writer.WriteInt32(value.LeaderEpoch);
        writer.WriteString(value.Metadata ?? "", compact: false);
        writer.WriteInt64(value.CommitTimestamp);
        return output.WrittenSpan.ToArray();
    }

    public static byte[] GroupValue(StoredGroup value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var output = new ArrayBufferWriter<byte>(256);
        var writer = new KafkaWriter(output);
        writer.WriteInt16(GroupValueVersion);
        writer.WriteString(value.ProtocolType, compact: false);
        writer.WriteInt32(value.Generation);
        writer.WriteNullableString(value.Protocol, compact: false);
        writer.WriteNullableString(value.Leader, compact: false);
        writer.WriteInt64(value.StateTimestamp);
        writer.WriteInt32(value.Members.Count);
        foreach (StoredMember member in value.Members)
        {
            writer.WriteString(member.MemberId, compact: false);
            writer.WriteNullableString(member.GroupInstanceId, compact: false);
            writer.WriteString(member.ClientId, compact: false);
            writer.WriteString(member.ClientHost, compact: false);
            writer.WriteInt32(member.RebalanceTimeoutMs);
            writer.WriteInt32(member.SessionTimeoutMs);
            writer.WriteBytes(member.Subscription, compact: false);
            writer.WriteBytes(member.Assignment, compact: false);
        }
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Decodes one record; null when the key is not one of Kafka's (a record some tool wrote) or is malformed.</summary>
    public static OffsetsRecord? Decode(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, bool valueIsNull)
    {
        var reader = new KafkaReader(key.ToArray());
        short keyVersion = reader.ReadInt16();
        if (reader.HasError)
        {
            return null;
        }
        switch (keyVersion)
        {
            case 0 or 1:
            {
                string group = reader.ReadString(compact: false);
                string topic = reader.ReadString(compact: false);
                int partition = reader.ReadInt32();
                if (reader.HasError)
                {
                    return null;
                }
                return new OffsetCommitRecord(group, topic, partition, valueIsNull ? null : DecodeOffset(value));
            }
            case GroupKeyVersion:
            {
                string group = reader.ReadString(compact: false);
                if (reader.HasError)
                {
                    return null;
                }
                return new GroupMetadataRecord(group, valueIsNull ? null : DecodeGroup(value));
            }
            case >= Consumer.ConsumerGroupRecordCodec.GroupEpochKey and <= Consumer.ConsumerGroupRecordCodec.CurrentAssignmentKey:
                return Consumer.ConsumerGroupRecordCodec.Decode(keyVersion, ref reader, value, valueIsNull);
            default:
                return null;
        }
    }

    private static CommittedOffset? DecodeOffset(ReadOnlySpan<byte> value)
    {
        var reader = new KafkaReader(value.ToArray());
        short version = reader.ReadInt16();
        if (version is < 0 or > 3)
        {
            return null;
        }
        long offset = reader.ReadInt64();
        int leaderEpoch = version >= 3 ? reader.ReadInt32() : -1;
        string metadata = reader.ReadString(compact: false);
        long commitTimestamp = reader.ReadInt64();
        long expireTimestamp = version == 1 ? reader.ReadInt64() : -1;
        return reader.HasError ? null : new CommittedOffset(offset, leaderEpoch, metadata, commitTimestamp, expireTimestamp);
    }

    private static StoredGroup? DecodeGroup(ReadOnlySpan<byte> value)
    {
        var reader = new KafkaReader(value.ToArray());
        short version = reader.ReadInt16();
        if (version is < 0 or > 3)
        {
            return null;
        }
        string protocolType = reader.ReadString(compact: false);
        int generation = reader.ReadInt32();
        string? protocol = reader.ReadNullableString(compact: false);
        string? leader = reader.ReadNullableString(compact: false);
        long stateTimestamp = version >= 2 ? reader.ReadInt64() : -1;
        int count = reader.ReadInt32();
        if (reader.HasError || count < 0 || count > reader.Remaining)
        {
            return null;
        }
        var members = new List<StoredMember>(count);
        for (int i = 0; i < count; i++)
        {
            string memberId = reader.ReadString(compact: false);
            string? instanceId = version >= 3 ? reader.ReadNullableString(compact: false) : null;
            string clientId = reader.ReadString(compact: false);
            string clientHost = reader.ReadString(compact: false);
            int rebalanceTimeout = version >= 1 ? reader.ReadInt32() : -1;
            int sessionTimeout = reader.ReadInt32();
            byte[] subscription = reader.ReadBytes(compact: false).ToArray();
            byte[] assignment = reader.ReadBytes(compact: false).ToArray();
            if (reader.HasError)
            {
                return null;
            }
            members.Add(new StoredMember(memberId, instanceId, clientId, clientHost, rebalanceTimeout < 0 ? sessionTimeout : rebalanceTimeout, sessionTimeout, subscription, assignment));
        }
        return new StoredGroup(protocolType, generation, protocol, leader, stateTimestamp, members);
    }
}
