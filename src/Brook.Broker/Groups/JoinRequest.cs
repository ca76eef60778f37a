namespace Brook.Broker.Groups;

/// <summary>A JoinGroup as the coordinator needs it, with the protocol metadata copied out of the request frame.</summary>
public sealed record JoinRequest(string GroupId, string MemberId, string? GroupInstanceId, string ClientId, string ClientHost,
    int SessionTimeoutMs, int RebalanceTimeoutMs, string ProtocolType, List<(string Name, byte[] Metadata)> Protocols, short Version);
