using BenchmarkDotNet.Configs;

namespace Brook.Benchmarks.Protocol;

/// <summary>Throughput next to the [MemoryDiagnoser] allocations, and room for a slow build.</summary>
public sealed class ProtocolBenchmarkConfig : ManualConfig
{
    public ProtocolBenchmarkConfig()
    {
        AddColumn(new ThroughputColumn());
        // The shared build machine can take longer than the default two minutes to build the boilerplate project.
        WithBuildTimeout(TimeSpan.FromMinutes(10));
    }
}
