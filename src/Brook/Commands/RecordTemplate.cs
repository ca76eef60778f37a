using System.Text;
using Brook.Cli;

namespace Brook.Commands;

/// <summary>What a piece of a <c>--format</c> template stands for.</summary>
public enum TemplateField
{
    Literal,
    Topic,
    Key,
    Value,
    KeyLength,
    ValueLength,
    Headers,
    Timestamp,
    Partition,
    Offset,
    LeaderEpoch,
}

/// <summary>One piece of a template: literal bytes, or a field (headers may carry their own per-header template).</summary>
public sealed record TemplatePart(TemplateField Field, byte[] Literal, TemplatePart[]? HeaderTemplate);

/// <summary>
/// The <c>--format</c> templates of produce and consume, as rpk has them: <c>%t</c> topic, <c>%T</c>
/// timestamp (ms), <c>%k</c> key, <c>%v</c> value, <c>%K</c>/<c>%V</c> their lengths, <c>%h</c>
/// headers (<c>k=v,k=v</c>; consume also takes <c>%h{...}</c> with <c>%k</c>/<c>%v</c> per header),
/// <c>%p</c> partition, <c>%o</c> offset, <c>%e</c> leader epoch, <c>%%</c> a percent sign; escapes
/// <c>\n \r \t \\</c>.
/// </summary>
public static class RecordTemplate
{
    public const string Help = "%t topic, %T timestamp, %k key, %v value, %K/%V their lengths, %h headers (k=v,...; consume: %h{%k=%v }), %p partition, %o offset, %e leader epoch, %% and \\n \\t \\r \\\\";

    public static TemplatePart[] Parse(string format)
    {
        ArgumentNullException.ThrowIfNull(format);
        int position = 0;
        TemplatePart[] parts = Parse(format, ref position, inHeader: false);
        return parts;
    }

    private static TemplatePart[] Parse(string format, ref int i, bool inHeader)
    {
        var parts = new List<TemplatePart>();
        var literal = new StringBuilder();
        void FlushLiteral()
        {
            if (literal.Length > 0)
            {
                parts.Add(new TemplatePart(TemplateField.Literal, Encoding.UTF8.GetBytes(literal.ToString()), null));
                literal.Clear();
            }
        }
        for (; i < format.Length; i++)
        {
            char c = format[i];
            if (inHeader && c == '}')
            {
                FlushLiteral();
                return [.. parts];
            }
            if (c == '\\' && i + 1 < format.Length)
            {
                i++;
                literal.Append(format[i] switch
                {
                    'n' => '\n',
                    'r' => '\r',
                    't' => '\t',
                    '0' => '\0',
                    var other => other,
                });
                continue;
            }
            if (c != '%')
            {
                literal.Append(c);
                continue;
            }
            if (i + 1 >= format.Length)
            {
                throw new UsageException("--format ends with a lone %");
            }
            char field = format[++i];
            if (field == '%')
            {
                literal.Append('%');
                continue;
            }
            FlushLiteral();
            TemplateField kind = field switch
            {
                't' => TemplateField.Topic,
                'T' => TemplateField.Timestamp,
                'k' => TemplateField.Key,
                'v' => TemplateField.Value,
                'K' => TemplateField.KeyLength,
                'V' => TemplateField.ValueLength,
                'h' when !inHeader => TemplateField.Headers,
                'p' => TemplateField.Partition,
                'o' => TemplateField.Offset,
                'e' => TemplateField.LeaderEpoch,
                _ => throw new UsageException($"--format: unknown placeholder %{field} ({Help})"),
            };
            if (inHeader && kind is not (TemplateField.Key or TemplateField.Value or TemplateField.KeyLength or TemplateField.ValueLength))
            {
                throw new UsageException($"--format: %{field} cannot appear inside %h{{...}}");
            }
            TemplatePart[]? headerTemplate = null;
            if (kind == TemplateField.Headers && i + 1 < format.Length && format[i + 1] == '{')
            {
                i += 2;
                headerTemplate = Parse(format, ref i, inHeader: true);
                if (i >= format.Length)
                {
                    throw new UsageException("--format: %h{ is not closed");
                }
            }
            parts.Add(new TemplatePart(kind, [], headerTemplate));
        }
        if (inHeader)
        {
            throw new UsageException("--format: %h{ is not closed");
        }
        FlushLiteral();
        return [.. parts];
    }
}
