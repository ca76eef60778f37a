using Brook.Protocol.Records;

namespace Brook.Protocol.Tests.Records;

public class ZigZagVarintTests
{
    [Theory]
    [InlineData(0L, new byte[] { 0x00 })]
    [InlineData(-1L, new byte[] { 0x01 })]
    [InlineData(1L, new byte[] { 0x02 })]
    [InlineData(-64L, new byte[] { 0x7F })]
    [InlineData(64L, new byte[] { 0x80, 0x01 })]
    [InlineData(300L, new byte[] { 0xD8, 0x04 })]
    [InlineData((long)int.MaxValue, new byte[] { 0xFE, 0xFF, 0xFF, 0xFF, 0x0F })]
    [InlineData((long)int.MinValue, new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x0F })]
    public void Values_encode_as_protobuf_sint_and_read_back(long value, byte[] expected)
    {
        byte[] buffer = new byte[ZigZagVarint.MaxInt64Bytes];
        int written = ZigZagVarint.WriteInt64(buffer, value);

        Assert.Equal(expected, buffer[..written]);
        Assert.Equal(written, ZigZagVarint.SizeOf(value));
        int pos = 0;
        Assert.True(ZigZagVarint.TryReadInt32(expected, ref pos, out int read32));
        Assert.Equal((value, expected.Length), (read32, pos));
        pos = 0;
        Assert.True(ZigZagVarint.TryReadInt64(expected, ref pos, out long read64));
        Assert.Equal(value, read64);
    }

    [Theory]
    [InlineData(long.MaxValue)]
    [InlineData(long.MinValue)]
    [InlineData(1_700_000_000_000L)]
    [InlineData(-1_700_000_000_000L)]
    public void Long_values_round_trip(long value)
    {
        byte[] buffer = new byte[ZigZagVarint.MaxInt64Bytes];
        int written = ZigZagVarint.WriteInt64(buffer, value);
        int pos = 0;

        Assert.True(ZigZagVarint.TryReadInt64(buffer, ref pos, out long read));
        Assert.Equal((value, written), (read, pos));
    }

    [Theory]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { 0x80 })]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x10 })]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 })]
    public void Truncated_or_over_long_int32_is_refused_without_moving(byte[] bytes)
    {
        int pos = 0;

        Assert.False(ZigZagVarint.TryReadInt32(bytes, ref pos, out _));
        Assert.Equal(0, pos);
    }

    [Fact]
    public void Over_long_int64_is_refused()
    {
        byte[] bytes = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02];
        int pos = 0;

        Assert.False(ZigZagVarint.TryReadInt64(bytes, ref pos, out _));
    }
}
