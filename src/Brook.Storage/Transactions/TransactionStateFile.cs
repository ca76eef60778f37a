using System.Globalization;
using System.Text;
using Brook.Storage.Files;

namespace Brook.Storage.Transactions;

/// <summary>
/// <c>transaction-state</c>: the transactions open at a few offsets of the log (each segment base
/// at its roll, and the log end at clean shutdown), so start-up and truncation rebuild the open set
/// by scanning from the nearest such point instead of from the log start. One line per point:
/// <c>offset producerId:firstOffset ...</c>; written atomically, newest <see cref="MaxPoints"/> kept.
/// A missing file means the log never held a transaction before its last scan start.
/// </summary>
internal static class TransactionStateFile
{
    public const string FileName = "transaction-state";
    public const int MaxPoints = 4;

    public static List<(long Offset, Dictionary<long, long> Open)>? Read(string directory)
    {
        string path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            return null;
        }
        var points = new List<(long, Dictionary<long, long>)>();
        try
        {
            foreach (string line in File.ReadAllLines(path))
            {
                string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length == 0)
                {
                    continue;
                }
                var open = new Dictionary<long, long>();
                for (int i = 1; i < parts.Length; i++)
                {
                    int colon = parts[i].IndexOf(':', StringComparison.Ordinal);
                    open[long.Parse(parts[i].AsSpan(0, colon), CultureInfo.InvariantCulture)] = long.Parse(parts[i].AsSpan(colon + 1), CultureInfo.InvariantCulture);
                }
                points.Add((long.Parse(parts[0], CultureInfo.InvariantCulture), open));
            }
        }
        catch (FormatException)
        {
            return []; // unreadable: no usable point, so a full scan
        }
        return points;
    }

    /// <summary>Adds a point at <paramref name="offset"/> (dropping points above it and the oldest beyond <see cref="MaxPoints"/>) and writes the file.</summary>
    public static void Write(string directory, long offset, IReadOnlyDictionary<long, long> open)
    {
        List<(long Offset, Dictionary<long, long> Open)> points = Read(directory) ?? [];
        points.RemoveAll(p => p.Offset >= offset);
        points.Add((offset, new Dictionary<long, long>(open)));
        if (points.Count > MaxPoints)
        {
            points.RemoveRange(0, points.Count - MaxPoints);
        }
        var text = new StringBuilder();
        foreach ((long at, Dictionary<long, long> producers) in points)
        {
            text.Append(at.ToString(CultureInfo.InvariantCulture));
            foreach ((long producerId, long first) in producers)
            {
                text.Append(' ').Append(producerId.ToString(CultureInfo.InvariantCulture)).Append(':').Append(first.ToString(CultureInfo.InvariantCulture));
            }
            text.Append('\n');
        }
        Durable.ReplaceFile(Path.Combine(directory, FileName), text.ToString());
    }
}
