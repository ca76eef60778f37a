using Brook.Protocol.Errors;

namespace Brook.Broker.Partitions;

/// <summary>
/// The result of appending one produce batch as leader: the error, or the offsets it got (the
/// original ones for a duplicate), the append time (-1 for CreateTime topics) and the log start.
/// </summary>
public readonly record struct AppendOutcome(ErrorCode Error, long FirstOffset, long EndOffset, long LogAppendTime, long LogStartOffset)
{
    public static AppendOutcome Failed(ErrorCode error) => new(error, -1, -1, -1, -1);
}
