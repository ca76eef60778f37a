using System.Buffers.Binary;
using Brook.Broker.Network;

namespace Brook.Broker.Tests.Network;

public sealed class KafkaResponseBufferTests
{
    [Fact]
    public void Written_bytes_survive_growth_and_can_be_patched_afterwards()
    {
        var buffer = new KafkaResponseBuffer();
        buffer.GetSpan(4)[..4].Clear();
        buffer.Advance(4);
        for (int i = 0; i < 10_000; i++)
        {
            buffer.GetSpan(1)[0] = (byte)i;
            buffer.Advance(1);
        }

        BinaryPrimitives.WriteInt32BigEndian(buffer.WrittenSpan, 10_000);

        Assert.Equal(10_004, buffer.WrittenCount);
        Assert.Equal(10_000, BinaryPrimitives.ReadInt32BigEndian(buffer.WrittenSpan));
        Assert.Equal(unchecked((byte)9_999), buffer.WrittenSpan[^1]);
    }

    [Fact]
    public void Reset_forgets_what_was_written()
    {
        var buffer = new KafkaResponseBuffer();
        buffer.GetSpan(100);
        buffer.Advance(100);

        buffer.Reset();

        Assert.Equal(0, buffer.WrittenCount);
        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.Advance(1));
    }
}
