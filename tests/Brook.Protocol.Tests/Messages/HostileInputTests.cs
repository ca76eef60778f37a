using System.Buffers;
using System.Buffers.Binary;
using Brook.Protocol.Messages;
using Brook.Protocol.Primitives;
using Brook.Protocol.Tests.Generated;

namespace Brook.Protocol.Tests.Messages;

/// <summary>
/// Inputs a client (or an attacker) could send: cut short, with lengths and counts that lie,
/// and with over-long varints. Every one must end as a typed read error, never an exception
/// and never an allocation sized by the lie.
/// </summary>
public sealed class HostileInputTests
{
    [Theory]
    [MemberData(nameof(SpecVersions.LowestAndHighest), MemberType = typeof(SpecVersions))]
    public void A_message_cut_short_at_any_byte_is_a_read_error_not_an_exception(string spec, short version)
    {
        byte[] whole = MessageCodec.Encode(MessageSamples.CreateFilled(spec, version), version);
        for (int length = 0; length < whole.Length; length++)
        {
            var message = MessageSamples.CreateEmpty(spec);
            var error = MessageCodec.Decode(message, whole.AsMemory(0, length), version, out _);
            Assert.True(error != ProtocolReadError.None, $"{spec} v{version} cut to {length} of {whole.Length} bytes decoded without error");
        }
    }

    [Theory]
    [MemberData(nameof(SpecVersions.LowestAndHighest), MemberType = typeof(SpecVersions))]
    public void Corrupted_bytes_never_make_decoding_throw(string spec, short version)
    {
        byte[] whole = MessageCodec.Encode(MessageSamples.CreateFilled(spec, version), version);
        if (whole.Length == 0)
        {
            return;
        }
        var random = new Random(whole.Length * 31 + version);
        for (int round = 0; round < 200; round++)
        {
            byte[] corrupted = (byte[])whole.Clone();
            for (int flips = 1 + random.Next(3); flips > 0; flips--)
            {
                corrupted[random.Next(corrupted.Length)] = (byte)random.Next(256);
            }
            var message = MessageSamples.CreateEmpty(spec);
            // Either outcome is fine (a flipped value byte still decodes); an exception is not.
            MessageCodec.Decode(message, corrupted, version, out int remaining);
            Assert.InRange(remaining, 0, corrupted.Length);
        }
    }

    [Fact]
    public void A_request_frame_cut_short_at_any_byte_is_a_read_error()
    {
        var request = (ProduceRequest)MessageSamples.CreateFilled(nameof(ProduceRequest), 9);
        var header = new RequestHeader { RequestApiKey = (short)ApiKey.Produce, RequestApiVersion = 9, CorrelationId = 42, ClientId = "c" };
        var buffer = new ArrayBufferWriter<byte>();
        KafkaFrames.WriteRequest(buffer, header, request);
        var frame = buffer.WrittenMemory[4..];

        Assert.Equal(ProtocolReadError.None, KafkaFrames.ReadRequest(frame, out var readHeader, out var body));
        Assert.Equal(42, readHeader.CorrelationId);
        Assert.IsType<ProduceRequest>(body);
        for (int length = 0; length < frame.Length; length++)
        {
            Assert.NotEqual(ProtocolReadError.None, KafkaFrames.ReadRequest(frame[..length], out _, out _));
        }
    }

    [Fact]
    public void A_huge_array_count_with_few_bytes_left_fails_before_allocating()
    {
        // Produce v3: transactional id null, acks, timeout, then a topic count of int.MaxValue and 10 bytes.
        byte[] body = new byte[2 + 2 + 4 + 4 + 10];
        BinaryPrimitives.WriteInt16BigEndian(body, -1);
        BinaryPrimitives.WriteInt32BigEndian(body.AsSpan(8), int.MaxValue);
        var message = new ProduceRequest();
        MessageCodec.Decode(message, body, 3, out _);

        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = MessageCodec.Decode(message, body, 3, out _);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(ProtocolReadError.LengthTooLarge, error);
        Assert.True(allocated < 1024, $"allocated {allocated} bytes");
    }

    [Fact]
    public void A_huge_compact_string_length_fails_before_allocating()
    {
        // Compact length 0xFFFFFFFF - 1 bytes announced, 3 bytes present.
        var reader = new KafkaReader(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 1, 2, 3 });
        long before = GC.GetAllocatedBytesForCurrentThread();
        string value = reader.ReadString(compact: true);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(ProtocolReadError.LengthTooLarge, reader.Error);
        Assert.Equal(string.Empty, value);
        Assert.Equal(0, allocated);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xFE, 0 }, false)]
    [InlineData(new byte[] { 0x80, 0x00, 0, 0, 0 }, false)]
    public void A_string_length_below_minus_one_is_a_negative_length_error(byte[] input, bool compact)
    {
        var reader = new KafkaReader(input);
        reader.ReadNullableString(compact);
        Assert.Equal(ProtocolReadError.NegativeLength, reader.Error);
    }

    [Fact]
    public void A_negative_array_count_other_than_minus_one_is_an_error()
    {
        var reader = new KafkaReader(new byte[] { 0xFF, 0xFF, 0xFF, 0xFB });
        Assert.Equal(0, reader.ReadNullableArrayCount(compact: false));
        Assert.Equal(ProtocolReadError.NegativeLength, reader.Error);
    }

    [Fact]
    public void A_bytes_length_beyond_the_input_is_an_error()
    {
        var reader = new KafkaReader(new byte[] { 0x00, 0x00, 0x10, 0x00, 1, 2 });
        Assert.True(reader.ReadBytes(compact: false).IsEmpty);
        Assert.Equal(ProtocolReadError.LengthTooLarge, reader.Error);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 })]
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x10 })]
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80 })]
    public void A_varint_longer_than_five_bytes_or_wider_than_32_bits_is_invalid(byte[] input)
    {
        var reader = new KafkaReader(input);
        Assert.Equal(0u, reader.ReadUnsignedVarint());
        Assert.Equal(ProtocolReadError.InvalidVarint, reader.Error);
    }

    [Fact]
    public void A_varlong_longer_than_ten_bytes_is_invalid()
    {
        var reader = new KafkaReader(Enumerable.Repeat((byte)0xFF, 11).ToArray());
        Assert.Equal(0L, reader.ReadVarlong());
        Assert.Equal(ProtocolReadError.InvalidVarint, reader.Error);
    }

    [Fact]
    public void A_varint_cut_short_is_truncated()
    {
        var reader = new KafkaReader(new byte[] { 0x80, 0x80 });
        reader.ReadVarint();
        Assert.Equal(ProtocolReadError.Truncated, reader.Error);
    }

    [Fact]
    public void The_first_error_sticks_and_later_reads_return_defaults()
    {
        var reader = new KafkaReader(new byte[] { 0xFF, 0xFE, 0x00, 0x00, 0x00, 0x07 });
        reader.ReadNullableString(compact: false);
        Assert.Equal(0, reader.ReadInt32());
        Assert.Equal(0, reader.Remaining);
        Assert.Equal(ProtocolReadError.NegativeLength, reader.Error);
    }

    [Fact]
    public void A_tagged_field_count_larger_than_the_input_is_an_error()
    {
        var reader = new KafkaReader(new byte[] { 0x7F, 0x00, 0x00 });
        Assert.Equal(0, reader.ReadTaggedFieldCount());
        Assert.Equal(ProtocolReadError.LengthTooLarge, reader.Error);
    }

    [Fact]
    public void A_known_tagged_field_whose_size_lies_is_an_error()
    {
        // FetchResponse.PartitionData v12 ends with its tagged section: count 1, tag 0 (DivergingEpoch),
        // size 13 (Epoch 4 + EndOffset 8 + empty tag section 1), the 13 bytes. Announce 14 and add a byte.
        var partition = new FetchResponse.PartitionData();
        byte[] good = MessageCodec.Encode(new FetchResponse.PartitionData { DivergingEpoch = { Epoch = 1 } }, 12);
        int sizeIndex = good.Length - 14;
        Assert.Equal(new byte[] { 1, 0, 13 }, good[(sizeIndex - 2)..(sizeIndex + 1)]);
        var bad = new List<byte>(good);
        bad[sizeIndex] = 14;
        bad.Add(0);
        var error = MessageCodec.Decode(partition, bad.ToArray(), 12, out _);
        Assert.Equal(ProtocolReadError.TaggedFieldSizeMismatch, error);
    }

    [Fact]
    public void An_unknown_api_key_or_version_leaves_the_body_unread_but_keeps_the_header()
    {
        var header = new RequestHeader { RequestApiKey = 999, RequestApiVersion = 0, CorrelationId = 7, ClientId = "x" };
        byte[] headerBytes = MessageCodec.Encode(header, 1);
        Assert.Equal(ProtocolReadError.None, KafkaFrames.ReadRequest(headerBytes, out var read, out var body));
        Assert.Null(body);
        Assert.Equal(7, read.CorrelationId);

        header.RequestApiKey = (short)ApiKey.ApiVersions;
        header.RequestApiVersion = 99;
        byte[] tooNew = MessageCodec.Encode(header, 2);
        Assert.Equal(ProtocolReadError.None, KafkaFrames.ReadRequest(tooNew, out read, out body));
        Assert.Null(body);
        Assert.Equal("x", read.ClientId);
    }
}
