using Brook.Protocol.Errors;

namespace Brook.Broker.Cluster;

/// <summary>The outcome of a metadata change: the error (with a message) or the topic it made or changed.</summary>
public readonly record struct TopicChange(ErrorCode Error, string? Message, TopicState? Topic)
{
    public static TopicChange Ok(TopicState? topic) => new(ErrorCode.None, null, topic);

    public static TopicChange Fail(ErrorCode error, string? message = null) => new(error, message, null);
}
