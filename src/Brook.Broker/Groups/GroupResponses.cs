using Brook.Protocol.Errors;
using Brook.Protocol.Messages;

namespace Brook.Broker.Groups;

/// <summary>Error answers shaped as Kafka sends them (protocol name null from JoinGroup v7, empty before).</summary>
internal static class GroupResponses
{
    public static JoinGroupResponse JoinError(ErrorCode error, string memberId, short version) => new()
    {
        ErrorCode = (short)error,
        GenerationId = -1,
        ProtocolType = null,
        ProtocolName = version >= 7 ? null : "",
        Leader = "",
        MemberId = memberId,
    };

    public static SyncGroupResponse SyncError(ErrorCode error) => new() { ErrorCode = (short)error, ProtocolType = null, ProtocolName = null, Assignment = Array.Empty<byte>() };
}
