using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Brook.Benchmarks.Storage;

/// <summary>Shows MB/s (10^6 bytes per second) for benchmarks that move <see cref="StorageBench.BytesPerOperation"/> per operation.</summary>
public sealed class ThroughputColumn : IColumn
{
    public string Id => nameof(ThroughputColumn);

    public string ColumnName => "MB/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Throughput: bytes moved per operation / mean time, in 10^6 bytes per second";

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var report = summary[benchmarkCase];
        if (report?.ResultStatistics is not { } statistics || statistics.Mean <= 0)
        {
            return "-";
        }
        double megabytesPerSecond = StorageBench.BytesPerOperation / statistics.Mean * 1e9 / 1e6;
        return megabytesPerSecond.ToString("F0", CultureInfo.InvariantCulture);
    }

    public override string ToString() => ColumnName;
}
