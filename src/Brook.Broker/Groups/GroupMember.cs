using Brook.Protocol.Messages;

namespace Brook.Broker.Groups;

/// <summary>One member of a classic group: who it is, what it supports, what it was assigned, and what it waits for.</summary>
internal sealed class GroupMember
{
    public GroupMember(string memberId, string? groupInstanceId, string clientId, string clientHost)
    {
        MemberId = memberId;
        GroupInstanceId = groupInstanceId;
        ClientId = clientId;
        ClientHost = clientHost;
    }

    public string MemberId { get; set; }

    public string? GroupInstanceId { get; }

    public string ClientId { get; set; }

    public string ClientHost { get; set; }

    public int SessionTimeoutMs { get; set; }

    public int RebalanceTimeoutMs { get; set; }

    public string ProtocolType { get; set; } = "";

    /// <summary>The assignors this member supports, in its order of preference, with its subscription for each.</summary>
    public List<(string Name, byte[] Metadata)> Protocols { get; set; } = [];

    public byte[] Assignment { get; set; } = [];

    /// <summary>Joined in this rebalance and not yet answered; the join response goes here.</summary>
    public TaskCompletionSource<JoinGroupResponse>? JoinWaiter { get; set; }

    public short JoinVersion { get; set; }

    /// <summary>Sent SyncGroup during CompletingRebalance; the assignment goes here.</summary>
    public TaskCompletionSource<SyncGroupResponse>? SyncWaiter { get; set; }

    /// <summary>Added during the current rebalance (Kafka's isNew).</summary>
    public bool IsNew { get; set; }

    /// <summary>Expires the member when no heartbeat comes within its session timeout.</summary>
    public ITimer? SessionTimer { get; set; }

    public byte[]? MetadataFor(string protocol)
    {
        foreach ((string name, byte[] metadata) in Protocols)
        {
            if (name == protocol)
            {
                return metadata;
            }
        }
        return null;
    }

    public bool Supports(string protocol) => MetadataFor(protocol) is not null;
}
