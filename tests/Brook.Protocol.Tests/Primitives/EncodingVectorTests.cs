using System.Buffers;
using Brook.Protocol.Primitives;

namespace Brook.Protocol.Tests.Primitives;

/// <summary>Known byte vectors for the primitive encodings (FACTS.md §3-4).</summary>
public sealed class EncodingVectorTests
{
    private delegate void WriteAction(ref KafkaWriter writer);

    private static byte[] Write(WriteAction action)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new KafkaWriter(buffer);
        action(ref writer);
        return buffer.WrittenSpan.ToArray();
    }

    [Theory]
    [InlineData(0u, new byte[] { 0x00 })]
    [InlineData(1u, new byte[] { 0x01 })]
    [InlineData(127u, new byte[] { 0x7F })]
    [InlineData(128u, new byte[] { 0x80, 0x01 })]
    [InlineData(300u, new byte[] { 0xAC, 0x02 })]
    [InlineData(uint.MaxValue, new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x0F })]
    public void Unsigned_varints_have_the_protobuf_encoding(uint value, byte[] expected)
    {
        Assert.Equal(expected, Write((ref KafkaWriter w) => w.WriteUnsignedVarint(value)));
        Assert.Equal(expected.Length, KafkaSize.UnsignedVarint(value));
        var reader = new KafkaReader(expected);
        Assert.Equal(value, reader.ReadUnsignedVarint());
        Assert.True(reader.IsCompleteWithoutError);
    }

    [Theory]
    [InlineData(0, new byte[] { 0x00 })]
    [InlineData(-1, new byte[] { 0x01 })]
    [InlineData(1, new byte[] { 0x02 })]
    [InlineData(-2, new byte[] { 0x03 })]
    [InlineData(150, new byte[] { 0xAC, 0x02 })]
    [InlineData(int.MinValue, new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x0F })]
    public void Signed_varints_are_zig_zag(int value, byte[] expected)
    {
        Assert.Equal(expected, Write((ref KafkaWriter w) => w.WriteVarint(value)));
        Assert.Equal(expected.Length, KafkaSize.Varint(value));
        var reader = new KafkaReader(expected);
        Assert.Equal(value, reader.ReadVarint());
        Assert.True(reader.IsCompleteWithoutError);
    }

    [Theory]
    [InlineData(-1L, new byte[] { 0x01 })]
    [InlineData(long.MaxValue, new byte[] { 0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 })]
    [InlineData(long.MinValue, new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 })]
    public void Signed_varlongs_are_zig_zag(long value, byte[] expected)
    {
        Assert.Equal(expected, Write((ref KafkaWriter w) => w.WriteVarlong(value)));
        Assert.Equal(expected.Length, KafkaSize.Varlong(value));
        var reader = new KafkaReader(expected);
        Assert.Equal(value, reader.ReadVarlong());
        Assert.True(reader.IsCompleteWithoutError);
    }

    [Fact]
    public void Fixed_width_integers_are_big_endian()
    {
        byte[] bytes = Write((ref KafkaWriter w) =>
        {
            w.WriteInt16(0x0102);
            w.WriteInt32(0x03040506);
            w.WriteInt64(-2);
            w.WriteUInt16(0xFFFE);
            w.WriteBool(true);
        });
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE, 0xFF, 0xFE, 1 }, bytes);
        var reader = new KafkaReader(bytes);
        Assert.Equal(0x0102, reader.ReadInt16());
        Assert.Equal(0x03040506, reader.ReadInt32());
        Assert.Equal(-2L, reader.ReadInt64());
        Assert.Equal(0xFFFE, reader.ReadUInt16());
        Assert.True(reader.ReadBool());
        Assert.True(reader.IsCompleteWithoutError);
    }

    [Fact]
    public void Any_nonzero_byte_reads_as_true()
    {
        var reader = new KafkaReader(new byte[] { 0x02, 0x00 });
        Assert.True(reader.ReadBool());
        Assert.False(reader.ReadBool());
    }

    [Fact]
    public void A_compact_string_is_its_byte_length_plus_one_then_utf8()
    {
        byte[] bytes = Write((ref KafkaWriter w) => w.WriteString("hé", compact: true));
        Assert.Equal(new byte[] { 0x04, (byte)'h', 0xC3, 0xA9 }, bytes);
        Assert.Equal(bytes.Length, KafkaSize.String("hé", compact: true));
        var reader = new KafkaReader(bytes);
        Assert.Equal("hé", reader.ReadString(compact: true));
        Assert.True(reader.IsCompleteWithoutError);
    }

    [Fact]
    public void A_classic_string_has_an_int16_length_and_null_is_minus_one()
    {
        Assert.Equal(new byte[] { 0x00, 0x02, (byte)'h', (byte)'i' }, Write((ref KafkaWriter w) => w.WriteString("hi", compact: false)));
        Assert.Equal(new byte[] { 0xFF, 0xFF }, Write((ref KafkaWriter w) => w.WriteNullableString(null, compact: false)));
        Assert.Equal(new byte[] { 0x00 }, Write((ref KafkaWriter w) => w.WriteNullableString(null, compact: true)));
        var reader = new KafkaReader(new byte[] { 0xFF, 0xFF, 0x00 });
        Assert.Null(reader.ReadNullableString(compact: false));
        Assert.Null(reader.ReadNullableString(compact: true));
        Assert.True(reader.IsCompleteWithoutError);
    }

    [Fact]
    public void A_null_compact_array_is_a_single_zero_and_a_null_classic_array_is_minus_one()
    {
        Assert.Equal(new byte[] { 0x00 }, Write((ref KafkaWriter w) => w.WriteArrayCount(-1, compact: true)));
        Assert.Equal(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF }, Write((ref KafkaWriter w) => w.WriteArrayCount(-1, compact: false)));
        Assert.Equal(new byte[] { 0x03 }, Write((ref KafkaWriter w) => w.WriteArrayCount(2, compact: true)));
        var reader = new KafkaReader(new byte[] { 0x00, 0xFF, 0xFF, 0xFF, 0xFF });
        Assert.Equal(-1, reader.ReadNullableArrayCount(compact: true));
        Assert.Equal(-1, reader.ReadNullableArrayCount(compact: false));
        Assert.True(reader.IsCompleteWithoutError);
    }

    [Fact]
    public void A_null_where_the_version_forbids_it_is_a_read_error()
    {
        var reader = new KafkaReader(new byte[] { 0x00 });
        Assert.Equal(0, reader.ReadArrayCount(compact: true));
        Assert.Equal(ProtocolReadError.UnexpectedNull, reader.Error);
    }

    [Fact]
    public void Bytes_are_returned_as_slices_of_the_input()
    {
        byte[] input = { 0x00, 0x00, 0x00, 0x03, 7, 8, 9, 0x04, 1, 2, 3 };
        var reader = new KafkaReader(input);
        var classic = reader.ReadBytes(compact: false);
        var compact = reader.ReadNullableBytes(compact: true);
        Assert.True(reader.IsCompleteWithoutError);
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(classic, out var segment));
        Assert.Same(input, segment.Array);
        Assert.Equal(4, segment.Offset);
        Assert.Equal(new byte[] { 1, 2, 3 }, compact!.Value.ToArray());
    }

    [Fact]
    public void An_empty_tagged_section_is_one_zero_byte_and_fields_carry_tag_and_size()
    {
        Assert.Equal(new byte[] { 0x00 }, Write((ref KafkaWriter w) => w.WriteTaggedFields(null)));
        List<RawTaggedField> fields = [new RawTaggedField(3, new byte[] { 0xAB, 0xCD }), new RawTaggedField(1, new byte[] { 0xEF })];
        byte[] bytes = Write((ref KafkaWriter w) => w.WriteTaggedFields(fields));
        Assert.Equal(new byte[] { 0x02, 0x01, 0x01, 0xEF, 0x03, 0x02, 0xAB, 0xCD }, bytes);

        var reader = new KafkaReader(bytes);
        int count = reader.ReadTaggedFieldCount();
        List<RawTaggedField>? read = null;
        for (int i = 0; i < count; i++)
        {
            int tag = (int)reader.ReadUnsignedVarint();
            read = reader.ReadUnknownTaggedField(read, tag, reader.ReadTaggedFieldSize());
        }
        Assert.True(reader.IsCompleteWithoutError);
        Assert.NotNull(read);
        Assert.Equal([1, 3], read.Select(f => f.Tag));
        Assert.Equal(new byte[] { 0xAB, 0xCD }, read[1].Data.ToArray());
    }

    [Fact]
    public void A_struct_presence_marker_is_minus_one_or_one()
    {
        Assert.Equal(new byte[] { 0xFF, 0x01 }, Write((ref KafkaWriter w) =>
        {
            w.WriteStructPresence(false);
            w.WriteStructPresence(true);
        }));
    }

    [Fact]
    public void Uuids_keep_wire_order_and_print_as_kafka_base64()
    {
        byte[] wire = Enumerable.Range(1, 16).Select(i => (byte)i).ToArray();
        var reader = new KafkaReader(wire);
        var uuid = reader.ReadUuid();
        Assert.Equal(0x0102030405060708UL, uuid.MostSignificantBits);
        Assert.Equal(wire, Write((ref KafkaWriter w) => w.WriteUuid(uuid)));
        Assert.Equal("AQIDBAUGBwgJCgsMDQ4PEA", uuid.ToString());
        Assert.True(Uuid.TryParse(uuid.ToString(), out var parsed));
        Assert.Equal(uuid, parsed);
        Assert.False(Uuid.TryParse("not-a-uuid", out _));
        Assert.True(Uuid.Zero.IsZero);
        Assert.False(Uuid.NewRandom().IsZero);
    }

    [Fact]
    public void A_multi_segment_sequence_is_copied_once_into_a_pooled_buffer()
    {
        var first = new Segment(new byte[] { 0x00, 0x00 });
        var last = first.Append(new byte[] { 0x01, 0x02 });
        var sequence = new ReadOnlySequence<byte>(first, 0, last, 2);
        var reader = KafkaReader.Create(sequence, out byte[]? rented);
        Assert.NotNull(rented);
        Assert.Equal(0x0000_0102, reader.ReadInt32());
        Assert.True(reader.IsCompleteWithoutError);
        ArrayPool<byte>.Shared.Return(rented!);

        var single = new ReadOnlySequence<byte>(new byte[] { 0x00, 0x07 });
        var direct = KafkaReader.Create(single, out byte[]? none);
        Assert.Null(none);
        Assert.Equal(7, direct.ReadInt16());
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(byte[] data) => Memory = data;

        public Segment Append(byte[] data)
        {
            var next = new Segment(data) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
