using System.Globalization;
using System.Text.RegularExpressions;
using Brook.Cli;
using Brook.Client.Admin;

namespace Brook.Commands;

/// <summary>Picks topics by name or, with <c>-r</c>, by regular expressions matched against whole names.</summary>
public static class TopicSelection
{
    public static readonly CliOption RegexOption = CliOption.Flag("--regex", "treat the TOPIC arguments as regular expressions matched against whole names", "-r");

    public static async Task<IReadOnlyList<string>> SelectAsync(CliContext context, KafkaAdminClient admin, bool includeInternal = false)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(admin);
        IReadOnlyList<string> given = context.Arguments.Positionals;
        if (!context.Arguments.Has("--regex"))
        {
            return given;
        }
        Regex[] patterns;
        try
        {
            patterns = [.. given.Select(p => new Regex($"^(?:{p})$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)))];
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"bad regular expression: {e.Message}");
        }
        IReadOnlyList<string> all = await admin.ListTopicsAsync(includeInternal, context.Cancellation);
        return [.. all.Where(name => patterns.Length == 0 || patterns.Any(p => p.IsMatch(name)))];
    }

    /// <summary>Parses <c>0,1,4</c> (or several <c>-p</c>) into partition numbers.</summary>
    public static IReadOnlyList<int> ParsePartitions(IReadOnlyList<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var partitions = new List<int>();
        foreach (string value in values)
        {
            foreach (string part in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int partition))
                {
                    throw new UsageException($"'{part}' is not a partition number");
                }
                partitions.Add(partition);
            }
        }
        return partitions;
    }

    public static string Join(IEnumerable<int> values) => string.Join(',', values.Select(v => v.ToString(CultureInfo.InvariantCulture)));

    public static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
