using Brook.Protocol.Compression;
using Brook.Protocol.Messages;
using Brook.Protocol.Primitives;

namespace Brook.Client.Admin;

/// <summary>The consumer embedded protocol: subscriptions (JoinGroup metadata) and assignments (SyncGroup), version-prefixed.</summary>
public static class ConsumerProtocolCodec
{
    private const short SubscriptionVersion = 1;
    private const short AssignmentVersion = 1;

    public static byte[] WriteSubscription(IEnumerable<string> topics, IEnumerable<TopicPartition> owned)
    {
        var subscription = new ConsumerProtocolSubscription { Topics = [.. topics], UserData = null };
        foreach (IGrouping<string, TopicPartition> topic in owned.GroupBy(p => p.Topic))
        {
            subscription.OwnedPartitions.Add(new ConsumerProtocolSubscription.TopicPartition { Topic = topic.Key, Partitions = [.. topic.Select(p => p.Partition)] });
        }
        return Write(subscription, SubscriptionVersion);
    }

    public static IReadOnlyList<string> ReadSubscriptionTopics(ReadOnlyMemory<byte> metadata) => ReadSubscription(metadata)?.Topics ?? [];

    /// <summary>The partitions the member owns now (subscription v1+; empty for v0 and eager members).</summary>
    public static IReadOnlyList<TopicPartition> ReadOwnedPartitions(ReadOnlyMemory<byte> metadata)
    {
        var result = new List<TopicPartition>();
        if (ReadSubscription(metadata) is { } subscription)
        {
            foreach (ConsumerProtocolSubscription.TopicPartition topic in subscription.OwnedPartitions)
            {
                foreach (int partition in topic.Partitions)
                {
                    result.Add(new TopicPartition(topic.Topic, partition));
                }
            }
        }
        return result;
    }

    private static ConsumerProtocolSubscription? ReadSubscription(ReadOnlyMemory<byte> metadata)
    {
        if (metadata.Length < 2)
        {
            return null;
        }
        var reader = new KafkaReader(metadata);
        short version = reader.ReadInt16();
        var subscription = new ConsumerProtocolSubscription();
        subscription.Read(ref reader, Math.Min(version, ConsumerProtocolSubscription.HighestSupportedVersion));
        return subscription;
    }

    public static byte[] WriteAssignment(IEnumerable<TopicPartition> partitions)
    {
        var assignment = new ConsumerProtocolAssignment { UserData = null };
        foreach (IGrouping<string, TopicPartition> topic in partitions.GroupBy(p => p.Topic))
        {
            assignment.AssignedPartitions.Add(new ConsumerProtocolAssignment.TopicPartition { Topic = topic.Key, Partitions = [.. topic.Select(p => p.Partition)] });
        }
        return Write(assignment, AssignmentVersion);
    }

    public static IReadOnlyList<TopicPartition> ReadAssignment(ReadOnlyMemory<byte> bytes)
    {
        if (bytes.Length < 2)
        {
            return [];
        }
        var reader = new KafkaReader(bytes);
        short version = reader.ReadInt16();
        var assignment = new ConsumerProtocolAssignment();
        assignment.Read(ref reader, Math.Min(version, ConsumerProtocolAssignment.HighestSupportedVersion));
        var result = new List<TopicPartition>();
        foreach (ConsumerProtocolAssignment.TopicPartition topic in assignment.AssignedPartitions)
        {
            foreach (int partition in topic.Partitions)
            {
                result.Add(new TopicPartition(topic.Topic, partition));
            }
        }
        return result;
    }

    private static byte[] Write(IProtocolMessage message, short version)
    {
        using var buffer = new PooledBufferWriter(256);
        var writer = new KafkaWriter(buffer);
        writer.WriteInt16(version);
        message.Write(ref writer, version);
        return buffer.WrittenSpan.ToArray();
    }
}
