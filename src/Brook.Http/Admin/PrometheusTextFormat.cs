using System.Globalization;
using System.Text;
using Brook.Broker.Observability;

namespace Brook.Http.Admin;

/// <summary>
/// Renders a <see cref="MetricRegistry"/> in the Prometheus text exposition format (version 0.0.4):
/// <c># HELP</c> and <c># TYPE</c> per family, one line per series, histograms as cumulative
/// <c>_bucket{le=...}</c> lines plus <c>_sum</c> and <c>_count</c>.
/// </summary>
public static class PrometheusTextFormat
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static string Render(MetricRegistry registry)
    {
        var text = new StringBuilder(4096);
        foreach (MetricFamily family in registry.Families)
        {
            Append(text, family);
        }
        return text.ToString();
    }

    private static void Append(StringBuilder text, MetricFamily family)
    {
        text.Append("# HELP ").Append(family.Name).Append(' ');
        AppendEscaped(text, family.Help, escapeQuotes: false);
        text.Append('\n');
        text.Append("# TYPE ").Append(family.Name).Append(' ').Append(TypeName(family.Type)).Append('\n');
        foreach (var (labelValues, metric) in family.Children())
        {
            switch (metric)
            {
                case Counter counter:
                    AppendSample(text, family.Name, family.LabelNames, labelValues, null, counter.Value.ToString(CultureInfo.InvariantCulture));
                    break;
                case Gauge gauge:
                    AppendSample(text, family.Name, family.LabelNames, labelValues, null, gauge.Value.ToString(CultureInfo.InvariantCulture));
                    break;
                case Histogram histogram:
                    AppendHistogram(text, family, labelValues, histogram);
                    break;
            }
        }
    }

    private static void AppendHistogram(StringBuilder text, MetricFamily family, string[] labelValues, Histogram histogram)
    {
        // Read the count first: buckets then never exceed it even while observations land.
        long count = histogram.Count;
        long[] cumulative = histogram.CumulativeBucketCounts();
        string bucketName = family.Name + "_bucket";
        for (int i = 0; i < cumulative.Length; i++)
        {
            string le = FormatDouble(histogram.UpperBounds[i]);
            AppendSample(text, bucketName, family.LabelNames, labelValues, le, Math.Min(cumulative[i], count).ToString(CultureInfo.InvariantCulture));
        }
        AppendSample(text, bucketName, family.LabelNames, labelValues, "+Inf", count.ToString(CultureInfo.InvariantCulture));
        AppendSample(text, family.Name + "_sum", family.LabelNames, labelValues, null, FormatDouble(histogram.Sum));
        AppendSample(text, family.Name + "_count", family.LabelNames, labelValues, null, count.ToString(CultureInfo.InvariantCulture));
    }

    private static void AppendSample(StringBuilder text, string name, IReadOnlyList<string> labelNames, string[] labelValues, string? le, string value)
    {
        text.Append(name);
        if (labelNames.Count > 0 || le is not null)
        {
            text.Append('{');
            for (int i = 0; i < labelNames.Count; i++)
            {
                if (i > 0)
                {
                    text.Append(',');
                }
                text.Append(labelNames[i]).Append("=\"");
                AppendEscaped(text, labelValues[i], escapeQuotes: true);
                text.Append('"');
            }
            if (le is not null)
            {
                text.Append(labelNames.Count > 0 ? ",le=\"" : "le=\"").Append(le).Append('"');
            }
            text.Append('}');
        }
        text.Append(' ').Append(value).Append('\n');
    }

    private static void AppendEscaped(StringBuilder text, string value, bool escapeQuotes)
    {
        foreach (char c in value)
        {
            switch (c)
            {
                case '\\':
                    text.Append(@"\\");
                    break;
                case '\n':
                    text.Append(@"\n");
                    break;
                case '"' when escapeQuotes:
                    text.Append("\\\"");
                    break;
                default:
                    text.Append(c);
                    break;
            }
        }
    }

    private static string FormatDouble(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf"
        : double.IsNegativeInfinity(value) ? "-Inf"
        : double.IsNaN(value) ? "NaN"
        : value.ToString("R", CultureInfo.InvariantCulture);

    private static string TypeName(MetricType type) => type switch
    {
        MetricType.Counter => "counter",
        MetricType.Gauge => "gauge",
        _ => "histogram",
    };
}
