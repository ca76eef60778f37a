using Brook.Protocol.Errors;

namespace Brook.Client;

/// <summary>A Kafka error code a broker answered with, raised to the caller of a client call.</summary>
public class KafkaException : Exception
{
    public KafkaException(ErrorCode error, string? detail = null)
        : base(Describe(error, detail))
    {
        Error = error;
    }

    public KafkaException(string message, Exception? inner)
        : base(message, inner)
    {
        Error = ErrorCode.UnknownServerError;
    }

    public KafkaException()
        : this(ErrorCode.UnknownServerError)
    {
    }

    public KafkaException(string message)
        : this(message, null)
    {
    }

    public ErrorCode Error { get; }

    /// <summary>Whether trying again may succeed: the error code's retriable flag, and always for connection failures.</summary>
    public virtual bool IsRetriable => Error.IsRetriable();

    private static string Describe(ErrorCode error, string? detail)
    {
        string name = ErrorCodes.Find((short)error)?.Name ?? ((short)error).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return string.IsNullOrEmpty(detail) ? $"{name}: {error.Message()}" : $"{name}: {detail}";
    }
}

/// <summary>A broker could not be reached, or the connection to it broke or timed out.</summary>
public sealed class KafkaConnectionException : KafkaException
{
    public KafkaConnectionException(string message, Exception? inner)
        : base(message, inner)
    {
    }

    public KafkaConnectionException()
        : base("connection failed", null)
    {
    }

    public override bool IsRetriable => true;

    public KafkaConnectionException(string message)
        : base(message, null)
    {
    }
}

/// <summary>The broker does not serve an API (or no version both sides know).</summary>
public sealed class UnsupportedApiException : KafkaException
{
    public UnsupportedApiException(string message)
        : base(message, null)
    {
    }

    public UnsupportedApiException()
        : base("unsupported API", null)
    {
    }

    public UnsupportedApiException(string message, Exception? inner)
        : base(message, inner)
    {
    }
}
