using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Brook.Protocol.Primitives;

/// <summary>
/// CRC-32C (Castagnoli), the checksum of Kafka's v2 record batches. Uses the CPU's CRC32
/// instruction through <see cref="BitOperations.Crc32C(uint, ulong)"/>, which falls back to
/// software where the instruction is missing.
/// </summary>
public static class Crc32C
{
    /// <summary>The CRC-32C of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => ~Append(~0u, data);

    /// <summary>
    /// Continues a running CRC over more bytes. Start with <c>~0u</c> and complement the end
    /// result, as <see cref="Compute"/> does.
    /// </summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        var words = MemoryMarshal.Cast<byte, ulong>(data);
        int i = 0;
        // Four words per iteration keeps the instruction pipeline busy on one dependency chain.
        for (; i + 4 <= words.Length; i += 4)
        {
            crc = BitOperations.Crc32C(crc, AsLittleEndian(words[i]));
            crc = BitOperations.Crc32C(crc, AsLittleEndian(words[i + 1]));
            crc = BitOperations.Crc32C(crc, AsLittleEndian(words[i + 2]));
            crc = BitOperations.Crc32C(crc, AsLittleEndian(words[i + 3]));
        }
        for (; i < words.Length; i++)
        {
            crc = BitOperations.Crc32C(crc, AsLittleEndian(words[i]));
        }
        foreach (byte b in data[(words.Length * sizeof(ulong))..])
        {
            crc = BitOperations.Crc32C(crc, b);
        }
        return crc;
    }

    private static ulong AsLittleEndian(ulong word) =>
        BitConverter.IsLittleEndian ? word : BinaryPrimitives.ReverseEndianness(word);
}
