using System.Buffers.Binary;
using Brook.Broker.Network;
using Brook.Protocol.Records;

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

    [Fact]
    public void Deferred_records_count_in_the_response_length_at_their_place_and_are_released_on_reset()
    {
        var buffer = new KafkaResponseBuffer();
        buffer.GetSpan(10);
        buffer.Advance(10);
        var records = new CountingRecords(1000);

        buffer.WriteDeferred(records);
        records.Release(); // the creator's reference: the buffer keeps its own
        buffer.GetSpan(5);
        buffer.Advance(5);

        Assert.Equal(1015, buffer.ResponseLength);
        Assert.Equal(15, buffer.WrittenCount);
        Assert.Equal(new DeferredPart(10, records), Assert.Single(buffer.Parts));
        Assert.False(records.Released);

        buffer.Reset();

        Assert.True(records.Released);
        Assert.Equal(0, buffer.ResponseLength);
        Assert.False(buffer.HasDeferred);
    }

    private sealed class CountingRecords(int length) : DeferredRecords(length)
    {
        public bool Released { get; private set; }

        public override void CopyTo(long offset, Span<byte> destination) => destination.Clear();

        protected override void OnReleased() => Released = true;
    }
}
