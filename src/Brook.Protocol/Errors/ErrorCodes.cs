namespace Brook.Protocol.Errors;

/// <summary>Look-ups over the generated error table (ErrorCodes.g.cs, from FACTS.md §10).</summary>
public static partial class ErrorCodes
{
    /// <summary>The row for <paramref name="code"/>, or null for a code this table does not know.</summary>
    public static ErrorCodeInfo? Find(short code) => code >= Lowest && code <= Highest ? Table[code - Lowest] : null;

    public static ErrorCodeInfo Info(this ErrorCode code) =>
        Find((short)code) ?? new ErrorCodeInfo(code, "UNKNOWN_CODE_" + ((short)code).ToString(System.Globalization.CultureInfo.InvariantCulture), false, "Unknown error code");

    public static bool IsRetriable(this ErrorCode code) => Find((short)code)?.IsRetriable ?? false;

    public static string Message(this ErrorCode code) => Info(code).Message;

    public static IReadOnlyList<ErrorCodeInfo> All => Table;
}
