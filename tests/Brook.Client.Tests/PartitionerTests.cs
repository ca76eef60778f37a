using System.Text;
using Brook.Client.Producing;

namespace Brook.Client.Tests;

public sealed class PartitionerTests
{
    [Theory]
    [InlineData("21", -973932308)]
    [InlineData("foobar", -790332482)]
    [InlineData("a-little-bit-long-string", -985981536)]
    [InlineData("a-little-bit-longer-string", -1486304829)]
    [InlineData("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58897971)]
    public void Murmur2_matches_the_java_client_bit_for_bit(string key, int expected)
    {
        Assert.Equal(expected, Murmur2.Hash(Encoding.UTF8.GetBytes(key)));
    }

    [Fact]
    public void Keyed_records_map_to_the_positive_hash_modulo_the_partition_count()
    {
        byte[] key = Encoding.UTF8.GetBytes("foobar");

        int partition = DefaultPartitioner.Instance.Partition("t", key, 7);

        Assert.Equal((-790332482 & 0x7fffffff) % 7, partition);
    }
}
