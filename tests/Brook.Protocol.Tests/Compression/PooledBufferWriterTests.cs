using Brook.Protocol.Compression;

namespace Brook.Protocol.Tests.Compression;

public class PooledBufferWriterTests
{
    [Fact]
    public void Writes_grow_the_buffer_and_keep_what_was_written()
    {
        using var writer = new PooledBufferWriter(256);
        for (int i = 0; i < 1000; i++)
        {
            writer.GetSpan(7)[..7].Fill((byte)i);
            writer.Advance(7);
        }

        Assert.Equal(7000, writer.WrittenCount);
        Assert.Equal(unchecked((byte)999), writer.WrittenSpan[^1]);
        Assert.Equal(unchecked((byte)500), writer.WrittenSpan[3500]);
    }

    [Fact]
    public void Clear_forgets_the_written_bytes()
    {
        using var writer = new PooledBufferWriter();
        writer.GetSpan(10);
        writer.Advance(10);

        writer.Clear();

        Assert.Equal(0, writer.WrittenCount);
    }

    [Fact]
    public void Advancing_past_the_buffer_is_refused()
    {
        using var writer = new PooledBufferWriter(256);
        int free = writer.GetSpan().Length;

        Assert.Throws<ArgumentOutOfRangeException>(() => writer.Advance(free + 1));
    }
}
