using Microsoft.Extensions.Logging;

namespace Brook.Broker.Groups;

internal static partial class GroupLog
{
    [LoggerMessage(EventId = 400, Level = LogLevel.Error, Message = "Could not create __consumer_offsets: {Error}")]
    public static partial void OffsetsTopicFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 401, Level = LogLevel.Warning, Message = "Could not store the metadata of group {GroupId}: {Error}")]
    public static partial void StoreFailed(ILogger logger, string groupId, string error);

    [LoggerMessage(EventId = 402, Level = LogLevel.Information, Message = "Group {GroupId} generation {Generation} ({Protocol}) with {Members} members")]
    public static partial void Rebalanced(ILogger logger, string groupId, int generation, string? protocol, int members);

    [LoggerMessage(EventId = 403, Level = LogLevel.Information, Message = "Member {MemberId} of group {GroupId} expired")]
    public static partial void MemberExpired(ILogger logger, string groupId, string memberId);
}
