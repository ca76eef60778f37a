using System.Globalization;

namespace Brook.Storage.Files;

/// <summary>
/// Kafka's file naming: a segment is named by its base offset as 20 digits, with suffixes for the
/// log, the offset index and the time index. Temporary states carry one more suffix.
/// </summary>
internal static class SegmentFileNames
{
    public const string LogSuffix = ".log";
    public const string IndexSuffix = ".index";
    public const string TimeIndexSuffix = ".timeindex";
    public const string TransactionIndexSuffix = ".txnindex";
    /// <summary>A compacted copy being written; deleted by recovery if found.</summary>
    public const string CleanedSuffix = ".cleaned";
    /// <summary>A file being removed; deleted by recovery if found.</summary>
    public const string DeletedSuffix = ".deleted";
    public const string TemporarySuffix = ".tmp";

    public static string BaseName(long baseOffset) => baseOffset.ToString("D20", CultureInfo.InvariantCulture);

    public static string LogFile(string directory, long baseOffset) => Path.Combine(directory, BaseName(baseOffset) + LogSuffix);

    public static string IndexFile(string directory, long baseOffset) => Path.Combine(directory, BaseName(baseOffset) + IndexSuffix);

    public static string TimeIndexFile(string directory, long baseOffset) => Path.Combine(directory, BaseName(baseOffset) + TimeIndexSuffix);

    public static string TransactionIndexFile(string directory, long baseOffset) => Path.Combine(directory, BaseName(baseOffset) + TransactionIndexSuffix);

    /// <summary>The base offset of a file named <c>NNNN…N.suffix</c>, or false for other names.</summary>
    public static bool TryParseBaseOffset(string fileName, string suffix, out long baseOffset)
    {
        baseOffset = -1;
        if (!fileName.EndsWith(suffix, StringComparison.Ordinal) || fileName.Length != 20 + suffix.Length)
        {
            return false;
        }
        return long.TryParse(fileName.AsSpan(0, 20), NumberStyles.None, CultureInfo.InvariantCulture, out baseOffset);
    }
}
