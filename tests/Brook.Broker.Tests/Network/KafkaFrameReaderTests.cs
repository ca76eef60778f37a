using System.Buffers;
using Brook.Broker.Network;
using Brook.Broker.Tests.Support;

namespace Brook.Broker.Tests.Network;

public sealed class KafkaFrameReaderTests
{
    [Fact]
    public void Frames_split_across_segments_anywhere_are_read_whole_and_in_order()
    {
        byte[] stream = [.. RawKafkaClient.Frame(3, 12, 1, [1, 2, 3]), .. RawKafkaClient.Frame(18, 3, 2, [4])];
        for (int segmentSize = 1; segmentSize <= stream.Length; segmentSize++)
        {
            ReadOnlySequence<byte> buffer = Segments.Split(stream, segmentSize);

            Assert.Equal(FrameStatus.Complete, KafkaFrameReader.TryRead(ref buffer, 1024, out int firstSize, out ReadOnlySequence<byte> first));
            Assert.Equal(FrameStatus.Complete, KafkaFrameReader.TryRead(ref buffer, 1024, out _, out ReadOnlySequence<byte> second));

            Assert.Equal(11, firstSize);
            Assert.Equal(RawKafkaClient.Frame(3, 12, 1, [1, 2, 3])[4..], first.ToArray());
            Assert.Equal(RawKafkaClient.Frame(18, 3, 2, [4])[4..], second.ToArray());
            Assert.True(buffer.IsEmpty);
        }
    }

    [Fact]
    public void An_incomplete_frame_leaves_the_buffer_untouched()
    {
        byte[] frame = RawKafkaClient.Frame(0, 9, 1, new byte[20]);
        for (int available = 0; available < frame.Length; available++)
        {
            var buffer = new ReadOnlySequence<byte>(frame, 0, available);

            Assert.Equal(FrameStatus.Incomplete, KafkaFrameReader.TryRead(ref buffer, 1024, out _, out _));
            Assert.Equal(available, buffer.Length);
        }
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF }, FrameStatus.NegativeSize)]
    [InlineData(new byte[] { 0x00, 0x00, 0x00, 0x07 }, FrameStatus.TooSmall)]
    [InlineData(new byte[] { 0x00, 0x00, 0x04, 0x01 }, FrameStatus.TooLarge)]
    public void A_bad_size_is_reported_as_soon_as_its_four_bytes_are_there(byte[] prefix, FrameStatus expected)
    {
        ReadOnlySequence<byte> buffer = Segments.Split(prefix, 1);

        Assert.Equal(expected, KafkaFrameReader.TryRead(ref buffer, 1024, out _, out _));
    }
}
