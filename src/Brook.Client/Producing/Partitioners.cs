namespace Brook.Client.Producing;

/// <summary>Chooses a partition for a record with a key (keyless records go to the sticky partition).</summary>
public interface IPartitioner
{
    int Partition(string topic, ReadOnlySpan<byte> key, int partitionCount);
}

/// <summary>Java's default for keyed records: positive murmur2 of the key modulo the partition count.</summary>
public sealed class DefaultPartitioner : IPartitioner
{
    public static DefaultPartitioner Instance { get; } = new();

    public int Partition(string topic, ReadOnlySpan<byte> key, int partitionCount) =>
        (Murmur2.Hash(key) & 0x7fffffff) % partitionCount;
}

/// <summary>The 32-bit murmur2 variant Kafka's Java client uses (seed 0x9747b28c), bit for bit.</summary>
public static class Murmur2
{
    public static int Hash(ReadOnlySpan<byte> data)
    {
        const uint m = 0x5bd1e995;
        const int r = 24;
        int length = data.Length;
        uint h = 0x9747b28c ^ (uint)length;
        int whole = length & ~3;
        for (int i = 0; i < whole; i += 4)
        {
            uint k = data[i] | ((uint)data[i + 1] << 8) | ((uint)data[i + 2] << 16) | ((uint)data[i + 3] << 24);
            k *= m;
            k ^= k >> r;
            k *= m;
            h *= m;
            h ^= k;
        }
        switch (length & 3)
        {
            case 3:
                h ^= (uint)data[whole + 2] << 16;
                h ^= (uint)data[whole + 1] << 8;
                h ^= data[whole];
                h *= m;
                break;
            case 2:
                h ^= (uint)data[whole + 1] << 8;
                h ^= data[whole];
                h *= m;
                break;
            case 1:
                h ^= data[whole];
                h *= m;
                break;
        }
        h ^= h >> 13;
        h *= m;
        h ^= h >> 15;
        return (int)h;
    }
}
