using System.Text;
using Brook.Protocol.Primitives;

namespace Brook.Protocol.Tests.Records;

/// <summary>CRC-32C, the record batch checksum: standard vectors and agreement with a bit-by-bit reference.</summary>
public class Crc32CTests
{
    [Fact]
    public void Check_value_of_123456789_is_E3069283()
    {
        Assert.Equal(0xE3069283u, Crc32C.Compute(Encoding.ASCII.GetBytes("123456789")));
    }

    [Fact]
    public void Empty_input_gives_zero()
    {
        Assert.Equal(0u, Crc32C.Compute([]));
    }

    // RFC 3720 (iSCSI) appendix B.4 test vectors.
    [Fact]
    public void Thirty_two_zero_bytes_give_8A9136AA()
    {
        Assert.Equal(0x8A9136AAu, Crc32C.Compute(new byte[32]));
    }

    [Fact]
    public void Thirty_two_FF_bytes_give_62A8AB43()
    {
        Assert.Equal(0x62A8AB43u, Crc32C.Compute(Enumerable.Repeat((byte)0xFF, 32).ToArray()));
    }

    [Fact]
    public void Thirty_two_ascending_bytes_give_46DD794E()
    {
        Assert.Equal(0x46DD794Eu, Crc32C.Compute(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray()));
    }

    [Fact]
    public void Thirty_two_descending_bytes_give_113FDB5C()
    {
        Assert.Equal(0x113FDB5Cu, Crc32C.Compute(Enumerable.Range(0, 32).Select(i => (byte)(31 - i)).ToArray()));
    }

    [Fact]
    public void Iscsi_read_command_pdu_gives_D9963A56()
    {
        byte[] pdu =
        [
            0x01, 0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
            0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x18,
            0x28, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        ];

        Assert.Equal(0xD9963A56u, Crc32C.Compute(pdu));
    }

    [Fact]
    public void Every_length_and_alignment_agrees_with_a_bitwise_reference()
    {
        byte[] data = new byte[3 * 4096 * 2 + 3 * 256 + 41];
        new Random(7).NextBytes(data);
        int[] lengths = [0, 1, 7, 8, 9, 63, 255, 767, 768, 769, 1000, 4095, 12287, 12288, 12289, 13057, 20000, data.Length - 3];

        foreach (int offset in new[] { 0, 1, 3 })
        {
            foreach (int length in lengths)
            {
                ReadOnlySpan<byte> slice = data.AsSpan(offset, Math.Min(length, data.Length - offset));
                Assert.True(Reference(slice) == Crc32C.Compute(slice), $"offset {offset}, length {slice.Length}");
            }
        }
    }

    [Fact]
    public void Appending_in_pieces_equals_computing_at_once()
    {
        byte[] data = new byte[50_000];
        new Random(11).NextBytes(data);

        uint running = ~0u;
        foreach (int cut in new[] { 0, 5, 900, 13_000, 13_001, 49_999 }.Zip(new[] { 5, 900, 13_000, 13_001, 49_999, 50_000 }).Select(p => p.First))
        {
            int end = cut switch { 0 => 5, 5 => 900, 900 => 13_000, 13_000 => 13_001, 13_001 => 49_999, _ => 50_000 };
            running = Crc32C.Append(running, data.AsSpan(cut, end - cut));
        }

        Assert.Equal(Crc32C.Compute(data), ~running);
    }

    /// <summary>CRC-32C one bit at a time (reflected polynomial 0x82F63B78), as the definition reads.</summary>
    private static uint Reference(ReadOnlySpan<byte> data)
    {
        uint crc = ~0u;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int i = 0; i < 8; i++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
            }
        }
        return ~crc;
    }
}
