using Brook.Protocol.Messages;
using Brook.Protocol.Primitives;

namespace Brook.Broker.Groups;

/// <summary>Reads the consumer embedded protocol (the subscription a consumer sends in JoinGroup's metadata).</summary>
internal static class ConsumerProtocol
{
    public static bool TryReadSubscription(byte[] metadata, out List<string> topics)
    {
        topics = [];
        if (metadata.Length < 2)
        {
            return false;
        }
        var reader = new KafkaReader(metadata);
        short version = reader.ReadInt16();
        var subscription = new ConsumerProtocolSubscription();
        subscription.Read(ref reader, Math.Min(version, ConsumerProtocolSubscription.HighestSupportedVersion));
        if (reader.HasError && subscription.Topics.Count == 0)
        {
            return false;
        }
        topics = subscription.Topics;
        return true;
    }
}
