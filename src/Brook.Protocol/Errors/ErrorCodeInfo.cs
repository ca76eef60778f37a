namespace Brook.Protocol.Errors;

/// <summary>One row of the error table: the code, Kafka's name, whether clients retry it, and a short message.</summary>
public sealed record ErrorCodeInfo(ErrorCode Code, string Name, bool IsRetriable, string Message);
