using Brook.Protocol.Tests.Generated;

namespace Brook.Protocol.Tests.Messages;

/// <summary>Theory data: (spec name, version) pairs taken from the generated sample table.</summary>
public static class SpecVersions
{
    public static TheoryData<string, short> Every() => Collect(everyVersion: true);

    public static TheoryData<string, short> LowestAndHighest() => Collect(everyVersion: false);

    private static TheoryData<string, short> Collect(bool everyVersion)
    {
        var data = new TheoryData<string, short>();
        foreach (var (name, lowest, highest) in MessageSamples.Specs)
        {
            for (short version = lowest; version <= highest; version++)
            {
                if (everyVersion || version == lowest || version == highest)
                {
                    data.Add(name, version);
                }
            }
        }
        return data;
    }
}
