using System.Globalization;
using System.Text;
using Brook.Storage.Files;

namespace Brook.Storage.Checkpoints;

/// <summary>
/// The per-partition file <c>partition-checkpoint</c>: where recovery may start, the log start
/// offset, how far compaction has cleaned, and whether the last shutdown was clean. Brook keeps
/// these per partition (not per data dir as Kafka does) so a partition directory is
/// self-contained; the file is replaced atomically (docs/storage.md, "Files").
/// </summary>
internal sealed record PartitionCheckpoint(long LogStartOffset, long RecoveryPoint, long CleanerOffset, bool CleanShutdown)
{
    public const string FileName = "partition-checkpoint";
    private const string Header = "brook-partition-checkpoint 1";

    public static PartitionCheckpoint Empty { get; } = new(0, 0, 0, false);

    /// <summary>Reads the file; a missing or unreadable file means "scan everything".</summary>
    public static PartitionCheckpoint Read(string directory)
    {
        string path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            return Empty;
        }
        string[] lines = File.ReadAllLines(path);
        if (lines.Length < 5 || lines[0] != Header)
        {
            return Empty;
        }
        if (!TryValue(lines[1], "log-start-offset", out long logStart)
            || !TryValue(lines[2], "recovery-point", out long recoveryPoint)
            || !TryValue(lines[3], "cleaner-offset", out long cleanerOffset)
            || !TryValue(lines[4], "clean-shutdown", out long clean))
        {
            return Empty;
        }
        return new PartitionCheckpoint(logStart, recoveryPoint, cleanerOffset, clean == 1);
    }

    public void Write(string directory)
    {
        var text = new StringBuilder();
        text.Append(Header).Append('\n');
        text.Append(CultureInfo.InvariantCulture, $"log-start-offset {LogStartOffset}\n");
        text.Append(CultureInfo.InvariantCulture, $"recovery-point {RecoveryPoint}\n");
        text.Append(CultureInfo.InvariantCulture, $"cleaner-offset {CleanerOffset}\n");
        text.Append(CultureInfo.InvariantCulture, $"clean-shutdown {(CleanShutdown ? 1 : 0)}\n");
        Durable.ReplaceFile(Path.Combine(directory, FileName), text.ToString());
    }

    private static bool TryValue(string line, string name, out long value)
    {
        value = 0;
        return line.StartsWith(name + " ", StringComparison.Ordinal)
            && long.TryParse(line.AsSpan(name.Length + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }
}
