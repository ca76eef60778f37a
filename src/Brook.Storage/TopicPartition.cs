using System.Globalization;

namespace Brook.Storage;

/// <summary>A partition of a topic; its log lives in <c>&lt;data&gt;/&lt;topic&gt;-&lt;partition&gt;/</c>.</summary>
public readonly record struct TopicPartition(string Topic, int Partition)
{
    public string DirectoryName => string.Create(CultureInfo.InvariantCulture, $"{Topic}-{Partition}");

    /// <summary>Parses a partition directory name; the partition follows the last dash.</summary>
    public static bool TryParseDirectoryName(string name, out TopicPartition partition)
    {
        ArgumentNullException.ThrowIfNull(name);
        partition = default;
        int dash = name.LastIndexOf('-');
        if (dash <= 0 || !int.TryParse(name.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int number))
        {
            return false;
        }
        partition = new TopicPartition(name[..dash], number);
        return true;
    }

    public override string ToString() => DirectoryName;
}
