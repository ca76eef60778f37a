using System.Globalization;

namespace Brook.Protocol.Generator;

/// <summary>A spec version range: "none", "N", "N-M" or the open-ended "N+".</summary>
internal readonly record struct VersionRange(short Min, short Max)
{
    public static readonly VersionRange Empty = new(1, 0);
    public const short OpenEnd = short.MaxValue;

    public bool IsEmpty => Min > Max;
    public bool IsOpenEnded => !IsEmpty && Max == OpenEnd;

    public static VersionRange Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Trim() == "none")
        {
            return Empty;
        }
        text = text.Trim();
        if (text.EndsWith('+'))
        {
            return new VersionRange(ParseShort(text[..^1]), OpenEnd);
        }
        int dash = text.IndexOf('-', StringComparison.Ordinal);
        if (dash > 0)
        {
            return new VersionRange(ParseShort(text[..dash]), ParseShort(text[(dash + 1)..]));
        }
        short single = ParseShort(text);
        return new VersionRange(single, single);
    }

    private static short ParseShort(string text) => short.Parse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture);

    public bool Contains(short version) => version >= Min && version <= Max;

    public VersionRange Intersect(VersionRange other)
    {
        if (IsEmpty || other.IsEmpty)
        {
            return Empty;
        }
        var result = new VersionRange(Math.Max(Min, other.Min), Math.Min(Max, other.Max));
        return result.IsEmpty ? Empty : result;
    }

    /// <summary>True when every version of <paramref name="other"/> is in this range.</summary>
    public bool Covers(VersionRange other) => other.IsEmpty || (!IsEmpty && Min <= other.Min && Max >= other.Max);

    /// <summary>
    /// A C# condition on <c>version</c> that holds inside this range, simplified for the
    /// versions a message supports (<paramref name="context"/>): "true", "false" or a comparison.
    /// Versions above the top of an open-ended context count as inside when the range is open-ended.
    /// </summary>
    public string Condition(VersionRange context)
    {
        var inside = Intersect(context);
        if (inside.IsEmpty)
        {
            return "false";
        }
        bool fromStart = inside.Min <= context.Min;
        bool toEnd = IsOpenEnded || Max >= context.Max;
        if (fromStart && toEnd)
        {
            return "true";
        }
        if (fromStart)
        {
            return $"version <= {inside.Max}";
        }
        if (toEnd)
        {
            return $"version >= {inside.Min}";
        }
        return inside.Min == inside.Max ? $"version == {inside.Min}" : $"version >= {inside.Min} && version <= {inside.Max}";
    }

    public override string ToString() => IsEmpty ? "none" : Max == OpenEnd ? $"{Min}+" : Min == Max ? $"{Min}" : $"{Min}-{Max}";
}
