using System.Globalization;
using Brook.Cli;
using Brook.Client;
using Brook.Client.Admin;

namespace Brook.Commands;

/// <summary>Where consuming starts: <c>start</c>, <c>end</c>, <c>N</c>, <c>+N</c> (N after the start), <c>-N</c> (N before the end), <c>@TIME</c>.</summary>
public enum StartKind
{
    Start,
    End,
    Exact,
    AfterStart,
    BeforeEnd,
    Timestamp,
}

/// <summary>A parsed <c>-o</c>: the start, and where to stop (the end as of starting with <c>:end</c>, or a timestamp with <c>@t1:t2</c>).</summary>
public readonly record struct ConsumeOffset(StartKind Kind, long Value, bool StopAtEnd, long? StopTimestamp);

/// <summary>Parses offsets and times as the commands take them.</summary>
public static class OffsetSpecs
{
    public const string Help = "start | end | N | +N (N after the start) | -N (N before the end) | @TIME | @T1:T2; a ':end' suffix stops at the end as of starting. TIME: ms since the epoch, ISO 8601, or -5m/-1h/-2d ago";

    public static ConsumeOffset ParseConsume(string text, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(text);
        bool stopAtEnd = false;
        if (text.EndsWith(":end", StringComparison.Ordinal))
        {
            stopAtEnd = true;
            text = text[..^4];
        }
        if (text.StartsWith('@'))
        {
            string range = text[1..];
            int colon = FindRangeColon(range);
            if (colon >= 0)
            {
                long from = ParseTimestamp(range[..colon], time);
                long to = ParseTimestamp(range[(colon + 1)..], time);
                if (to < from)
                {
                    throw new UsageException($"-o {text}: the range ends before it starts");
                }
                return new ConsumeOffset(StartKind.Timestamp, from, true, to);
            }
            return new ConsumeOffset(StartKind.Timestamp, ParseTimestamp(range, time), stopAtEnd, null);
        }
        return text switch
        {
            "start" or "oldest" or "beginning" or "earliest" or "" => new ConsumeOffset(StartKind.Start, 0, stopAtEnd, null),
            "end" or "newest" or "latest" => new ConsumeOffset(StartKind.End, 0, stopAtEnd, null),
            _ when text.StartsWith('+') => new ConsumeOffset(StartKind.AfterStart, Number(text[1..], text), stopAtEnd, null),
            _ when text.StartsWith('-') => new ConsumeOffset(StartKind.BeforeEnd, Number(text[1..], text), stopAtEnd, null),
            _ => new ConsumeOffset(StartKind.Exact, Number(text, text), stopAtEnd, null),
        };
    }

    /// <summary>An offset target for trim-prefix and group seek: start, end, N or @TIME, per partition.</summary>
    public static async Task<Dictionary<TopicPartition, long>> ResolveTargetAsync(KafkaAdminClient admin, IReadOnlyCollection<TopicPartition> partitions,
        string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(admin);
        ArgumentNullException.ThrowIfNull(partitions);
        ArgumentNullException.ThrowIfNull(text);
        OffsetSpec? spec = text switch
        {
            "start" or "earliest" or "beginning" => OffsetSpec.Earliest,
            "end" or "latest" => OffsetSpec.Latest,
            _ when text.StartsWith('@') => OffsetSpec.ForTimestamp(ParseTimestamp(text[1..], TimeProvider.System)),
            _ => null,
        };
        var result = new Dictionary<TopicPartition, long>();
        if (spec is null)
        {
            long exact = Number(text, text);
            foreach (TopicPartition partition in partitions)
            {
                result[partition] = exact;
            }
            return result;
        }
        IReadOnlyDictionary<TopicPartition, ListedOffset> found = await admin.ListOffsetsAsync(partitions.Select(p => KeyValuePair.Create(p, spec.Value)), cancellationToken);
        var missing = found.Where(f => f.Value.Offset < 0).Select(f => KeyValuePair.Create(f.Key, OffsetSpec.Latest)).ToArray();
        foreach ((TopicPartition partition, ListedOffset listed) in found)
        {
            result[partition] = listed.Offset;
        }
        if (missing.Length > 0)
        {
            // No record at or after the time: the end.
            foreach ((TopicPartition partition, ListedOffset listed) in await admin.ListOffsetsAsync(missing, cancellationToken))
            {
                result[partition] = listed.Offset;
            }
        }
        return result;
    }

    /// <summary>Milliseconds since the epoch from ms digits, an ISO 8601 date/time (UTC unless it says), or a duration ago (-30s, -5m, -1h, -2d).</summary>
    public static long ParseTimestamp(string text, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(time);
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long ms))
        {
            return ms;
        }
        if (text.Length > 2 && text[0] == '-' && long.TryParse(text.AsSpan(1, text.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out long amount))
        {
            TimeSpan? ago = text[^1] switch
            {
                's' => TimeSpan.FromSeconds(amount),
                'm' => TimeSpan.FromMinutes(amount),
                'h' => TimeSpan.FromHours(amount),
                'd' => TimeSpan.FromDays(amount),
                _ => null,
            };
            if (ago is { } duration)
            {
                return (time.GetUtcNow() - duration).ToUnixTimeMilliseconds();
            }
        }
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset when))
        {
            return when.ToUnixTimeMilliseconds();
        }
        throw new UsageException($"'{text}' is not a time (ms since the epoch, ISO 8601, or -5m/-1h/-2d)");
    }

    /// <summary>The colon separating @T1:T2, skipping the colons inside ISO times (which come after a 'T' or a digit pair).</summary>
    private static int FindRangeColon(string range)
    {
        // Two ms numbers or durations: the only colon. ISO times: a colon followed by something that starts a new time.
        for (int i = 0; i < range.Length; i++)
        {
            if (range[i] != ':')
            {
                continue;
            }
            string left = range[..i];
            if (long.TryParse(left, NumberStyles.None, CultureInfo.InvariantCulture, out _) || left.StartsWith('-')
                || (left.Length >= 10 && !left.Contains('T', StringComparison.Ordinal)))
            {
                return i;
            }
            if (left.Contains('T', StringComparison.Ordinal) && left.Count(c => c == ':') == 2)
            {
                return i;
            }
        }
        return -1;
    }

    private static long Number(string digits, string whole) =>
        long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out long value)
            ? value
            : throw new UsageException($"'{whole}' is not an offset ({Help})");
}
