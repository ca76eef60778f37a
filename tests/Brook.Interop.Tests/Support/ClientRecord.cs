using System.Text.Json;
using System.Text.Json.Serialization;

namespace Brook.Interop.Tests.Support;

/// <summary>One record as a client script reports it (acknowledged or consumed).</summary>
public sealed record ClientRecord
{
    [JsonPropertyName("partition")]
    public int Partition { get; init; }

    [JsonPropertyName("offset")]
    public long Offset { get; init; }

    [JsonPropertyName("key")]
    public string Key { get; init; } = "";

    [JsonPropertyName("value")]
    public string Value { get; init; } = "";

    [JsonPropertyName("headers")]
    public Dictionary<string, string> Headers { get; init; } = [];

    [JsonPropertyName("timestamp")]
    public long Timestamp { get; init; }

    public string Identity => $"{Partition}/{Offset}";
}

/// <summary>The checks a user cares about, on what clients acknowledged and read back.</summary>
public static class RecordChecks
{
    public static JsonElement ParseJson(ProcessResult result)
    {
        Assert.True(result.ExitCode == 0, result.ToString());
        string line = result.Stdout.Trim().Split('\n')[^1];
        return JsonDocument.Parse(line).RootElement;
    }

    public static List<ClientRecord> Records(JsonElement element, string property) =>
        element.GetProperty(property).Deserialize<List<ClientRecord>>() ?? [];

    /// <summary>
    /// Every acknowledged record was consumed exactly once, at the offset it was acknowledged
    /// with, with key, value, headers and timestamp intact; each partition was read in offset order.
    /// </summary>
    public static void EveryAckedRecordCameBackOnceInOrder(IReadOnlyList<ClientRecord> acked, IReadOnlyList<ClientRecord> consumed)
    {
        Assert.NotEmpty(acked);
        var byIdentity = new Dictionary<string, ClientRecord>();
        foreach (ClientRecord record in consumed)
        {
            Assert.True(byIdentity.TryAdd(record.Identity, record), $"record {record.Identity} was consumed twice");
        }
        foreach (ClientRecord expected in acked)
        {
            Assert.True(byIdentity.TryGetValue(expected.Identity, out ClientRecord? actual), $"acknowledged record {expected.Identity} ({expected.Key}) was not consumed");
            Assert.Equal((expected.Key, expected.Value, expected.Timestamp), (actual!.Key, actual.Value, actual.Timestamp));
            Assert.Equal(expected.Headers, actual.Headers);
        }
        foreach (IGrouping<int, ClientRecord> partition in consumed.GroupBy(r => r.Partition))
        {
            long[] offsets = [.. partition.Select(r => r.Offset)];
            Assert.Equal(offsets.Order(), offsets);
        }
    }
}
