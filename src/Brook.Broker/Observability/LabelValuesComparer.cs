namespace Brook.Broker.Observability;

/// <summary>Compares label value arrays by content, ordinally.</summary>
internal sealed class LabelValuesComparer : IEqualityComparer<string[]>, IComparer<string[]>
{
    public static readonly LabelValuesComparer Instance = new();

    public bool Equals(string[]? x, string[]? y) =>
        ReferenceEquals(x, y) || (x is not null && y is not null && x.AsSpan().SequenceEqual(y));

    public int GetHashCode(string[] obj)
    {
        var hash = new HashCode();
        foreach (string value in obj)
        {
            hash.Add(value, StringComparer.Ordinal);
        }
        return hash.ToHashCode();
    }

    public int Compare(string[]? x, string[]? y)
    {
        if (x is null || y is null)
        {
            return x is null ? (y is null ? 0 : -1) : 1;
        }
        for (int i = 0; i < Math.Min(x.Length, y.Length); i++)
        {
            int order = CompareValue(x[i], y[i]);
            if (order != 0)
            {
                return order;
            }
        }
        return x.Length.CompareTo(y.Length);
    }

    // Numbers (API versions, partitions, error codes) sort as numbers, the rest ordinally.
    private static int CompareValue(string a, string b) =>
        long.TryParse(a, out long left) && long.TryParse(b, out long right)
            ? left.CompareTo(right)
            : string.CompareOrdinal(a, b);
}
