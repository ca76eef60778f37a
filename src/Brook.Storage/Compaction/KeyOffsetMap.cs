using System.Security.Cryptography;

namespace Brook.Storage.Compaction;

/// <summary>
/// Key → latest offset for one compaction pass. Keys are stored as 128 bits of their SHA-256
/// (as Kafka stores an MD5), so memory is about 40 bytes per distinct key whatever the key size;
/// <see cref="MaxKeys"/> bounds it.
/// </summary>
internal sealed class KeyOffsetMap(int maxKeys)
{
    private readonly Dictionary<UInt128, long> _latest = [];

    public int MaxKeys { get; } = maxKeys;

    public int Count => _latest.Count;

    public bool IsFull => _latest.Count >= MaxKeys;

    public void Put(ReadOnlySpan<byte> key, long offset) => _latest[Hash(key)] = offset;

    /// <summary>The latest offset seen for <paramref name="key"/>, or -1.</summary>
    public long Get(ReadOnlySpan<byte> key) => _latest.TryGetValue(Hash(key), out long offset) ? offset : -1;

    private static UInt128 Hash(ReadOnlySpan<byte> key)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(key, digest);
        return BitConverter.ToUInt128(digest);
    }
}
