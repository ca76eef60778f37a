using System.Globalization;
using System.Text;
using Brook.Storage.Files;

namespace Brook.Storage;

/// <summary>One leader epoch and the first offset written under it.</summary>
public readonly record struct EpochEntry(int Epoch, long StartOffset);

/// <summary>
/// The epoch → start offset map replication asks "where does epoch N end?"
/// (OffsetForLeaderEpoch). Persisted in <c>leader-epoch-checkpoint</c> in Kafka's text format
/// (version line, count line, "epoch offset" lines), replaced atomically on every change.
/// Epochs and start offsets both strictly increase (docs/log-invariants.md).
/// </summary>
public sealed class LeaderEpochCache
{
    public const string FileName = "leader-epoch-checkpoint";

    private readonly string _path;
    private readonly Lock _lock = new();
    private EpochEntry[] _entries;

    internal LeaderEpochCache(string directory)
    {
        _path = Path.Combine(directory, FileName);
        _entries = Load(_path);
    }

    public IReadOnlyList<EpochEntry> Entries => Volatile.Read(ref _entries);

    /// <summary>The newest epoch, or -1 when the log has none.</summary>
    public int LatestEpoch
    {
        get
        {
            var entries = Volatile.Read(ref _entries);
            return entries.Length == 0 ? -1 : entries[^1].Epoch;
        }
    }

    /// <summary>
    /// The OffsetForLeaderEpoch answer for <paramref name="epoch"/>: the largest epoch at most
    /// <paramref name="epoch"/> and the offset where it ends (the next epoch's start offset, or
    /// the log end offset for the latest epoch); (-1, -1) when the epoch precedes all we know.
    /// </summary>
    public (int Epoch, long EndOffset) EndOffsetFor(int epoch, long logEndOffset)
    {
        var entries = Volatile.Read(ref _entries);
        for (int i = entries.Length - 1; i >= 0; i--)
        {
            if (entries[i].Epoch <= epoch)
            {
                return (entries[i].Epoch, i == entries.Length - 1 ? logEndOffset : entries[i + 1].StartOffset);
            }
        }
        return (-1, -1);
    }

    /// <summary>Records that <paramref name="epoch"/> starts at <paramref name="startOffset"/> if it is newer than the latest.</summary>
    internal void Assign(int epoch, long startOffset)
    {
        if (epoch < 0)
        {
            return;
        }
        lock (_lock)
        {
            var entries = _entries;
            if (entries.Length > 0 && epoch <= entries[^1].Epoch)
            {
                return;
            }
            var updated = new EpochEntry[entries.Length + 1];
            entries.CopyTo(updated, 0);
            updated[^1] = new EpochEntry(epoch, startOffset);
            Publish(updated);
        }
    }

    /// <summary>Forgets epochs that start at or after <paramref name="endOffset"/> (log truncation).</summary>
    internal void TruncateFromEnd(long endOffset)
    {
        lock (_lock)
        {
            var entries = _entries;
            int keep = entries.Length;
            while (keep > 0 && entries[keep - 1].StartOffset >= endOffset)
            {
                keep--;
            }
            if (keep != entries.Length)
            {
                Publish(entries[..keep]);
            }
        }
    }

    /// <summary>Drops epochs wholly before <paramref name="startOffset"/>; the epoch covering it now starts there.</summary>
    internal void TruncateFromStart(long startOffset)
    {
        lock (_lock)
        {
            var entries = _entries;
            int firstKept = 0;
            while (firstKept + 1 < entries.Length && entries[firstKept + 1].StartOffset <= startOffset)
            {
                firstKept++;
            }
            if (entries.Length == 0 || (firstKept == 0 && entries[0].StartOffset >= startOffset))
            {
                return;
            }
            var updated = entries[firstKept..];
            updated[0] = updated[0] with { StartOffset = Math.Max(updated[0].StartOffset, startOffset) };
            Publish(updated);
        }
    }

    internal void Clear()
    {
        lock (_lock)
        {
            Publish([]);
        }
    }

    private void Publish(EpochEntry[] entries)
    {
        var text = new StringBuilder();
        text.Append("0\n").Append(entries.Length.ToString(CultureInfo.InvariantCulture)).Append('\n');
        foreach (var entry in entries)
        {
            text.Append(CultureInfo.InvariantCulture, $"{entry.Epoch} {entry.StartOffset}\n");
        }
        Durable.ReplaceFile(_path, text.ToString());
        Volatile.Write(ref _entries, entries);
    }

    private static EpochEntry[] Load(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }
        string[] lines = File.ReadAllLines(path);
        if (lines.Length < 2 || lines[0].Trim() != "0" || !int.TryParse(lines[1], NumberStyles.None, CultureInfo.InvariantCulture, out int count) || lines.Length < 2 + count)
        {
            return []; // unreadable: replication refetches epochs from the leader
        }
        var entries = new List<EpochEntry>(count);
        for (int i = 0; i < count; i++)
        {
            string[] parts = lines[2 + i].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 2
                || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int epoch)
                || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long offset))
            {
                return [];
            }
            entries.Add(new EpochEntry(epoch, offset));
        }
        return [.. entries];
    }
}
