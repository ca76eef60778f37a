using System.Text.Json;

namespace Brook.Broker.Partitions;

/// <summary>
/// A partition's idempotent-producer state as of <see cref="EndOffset"/>, kept beside the log in
/// <c>producer-state.json</c>. Written at clean shutdown and at each segment roll (temp file, then
/// rename); a missing, unreadable or out-of-range snapshot only means a longer scan at start-up.
/// </summary>
public sealed class ProducerStateSnapshot
{
    public const string FileName = "producer-state.json";

    public long EndOffset { get; init; }

    public List<ProducerSnapshot> Producers { get; init; } = [];

    public static void Save(string directory, ProducerStateSnapshot snapshot)
    {
        string path = Path.Combine(directory, FileName);
        string temporary = path + ".tmp";
        File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(snapshot));
        File.Move(temporary, path, overwrite: true);
    }

    public static bool TryLoad(string directory, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ProducerStateSnapshot? snapshot)
    {
        snapshot = null;
        string path = Path.Combine(directory, FileName);
        try
        {
            snapshot = File.Exists(path) ? JsonSerializer.Deserialize<ProducerStateSnapshot>(File.ReadAllBytes(path)) : null;
        }
        catch (Exception exception) when (exception is IOException or JsonException)
        {
            snapshot = null;
        }
        return snapshot is not null;
    }
}
