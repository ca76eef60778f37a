using Brook.Protocol.Messages;
using Brook.Protocol.Primitives;

namespace Brook.Protocol.Tests.Messages;

/// <summary>Whole messages against byte vectors worked out by hand from the specs.</summary>
public sealed class KnownBytesTests
{
    [Fact]
    public void A_v2_request_header_keeps_the_int16_client_id_and_adds_a_tag_section()
    {
        var header = new RequestHeader { RequestApiKey = 18, RequestApiVersion = 3, CorrelationId = 1, ClientId = "c" };
        byte[] expected = { 0x00, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, (byte)'c', 0x00 };
        Assert.Equal(expected, MessageCodec.Encode(header, 2));

        var read = new RequestHeader();
        Assert.Equal(ProtocolReadError.None, MessageCodec.Decode(read, expected, 2, out int remaining));
        Assert.Equal(0, remaining);
        Assert.Equal("c", read.ClientId);
    }

    [Fact]
    public void A_v1_request_header_has_a_null_client_id_as_minus_one_and_no_tag_section()
    {
        var header = new RequestHeader { RequestApiKey = 3, RequestApiVersion = 8, CorrelationId = 9, ClientId = null };
        Assert.Equal(new byte[] { 0, 3, 0, 8, 0, 0, 0, 9, 0xFF, 0xFF }, MessageCodec.Encode(header, 1));
    }

    [Fact]
    public void An_ApiVersions_v3_request_uses_compact_strings_and_ends_with_an_empty_tag_section()
    {
        var request = new ApiVersionsRequest { ClientSoftwareName = "kcat", ClientSoftwareVersion = "1.7" };
        byte[] expected = { 0x05, (byte)'k', (byte)'c', (byte)'a', (byte)'t', 0x04, (byte)'1', (byte)'.', (byte)'7', 0x00 };
        Assert.Equal(expected, MessageCodec.Encode(request, 3));
        // v0-v2 have no body at all.
        Assert.Empty(MessageCodec.Encode(new ApiVersionsRequest(), 2));
    }

    [Fact]
    public void A_Produce_v3_request_uses_int16_strings_and_int32_counts_and_lengths()
    {
        var request = new ProduceRequest { TransactionalId = null, Acks = 1, TimeoutMs = 1000 };
        request.TopicData.Add(new ProduceRequest.TopicProduceData
        {
            Name = "t",
            PartitionData = [new ProduceRequest.PartitionProduceData { Index = 2, Records = new byte[] { 0xAA, 0xBB } }],
        });
        byte[] expected =
        {
            0xFF, 0xFF,             // transactional id: null
            0x00, 0x01,             // acks
            0x00, 0x00, 0x03, 0xE8, // timeout 1000
            0x00, 0x00, 0x00, 0x01, // one topic
            0x00, 0x01, (byte)'t',
            0x00, 0x00, 0x00, 0x01, // one partition
            0x00, 0x00, 0x00, 0x02, // index 2
            0x00, 0x00, 0x00, 0x02, 0xAA, 0xBB,
        };
        Assert.Equal(expected, MessageCodec.Encode(request, 3));
    }

    [Fact]
    public void A_non_ignorable_field_the_version_lacks_cannot_be_written_with_a_value()
    {
        var request = new ProduceRequest { TransactionalId = "txn" };
        Assert.Throws<InvalidOperationException>(() => MessageCodec.Encode(request, 2));
        request.TransactionalId = null;
        Assert.NotEmpty(MessageCodec.Encode(request, 2));
    }

    [Fact]
    public void An_ignorable_field_the_version_lacks_is_silently_dropped()
    {
        var response = new FetchResponse { ThrottleTimeMs = 100, ErrorCode = 3 };
        byte[] v0 = MessageCodec.Encode(response, 0);
        // v0 has only the (empty) responses array: int32 count 0.
        Assert.Equal(new byte[] { 0, 0, 0, 0 }, v0);
    }

    [Fact]
    public void A_null_in_a_version_that_does_not_allow_it_is_rejected_on_write()
    {
        var request = new MetadataRequest { Topics = null };
        Assert.Throws<InvalidOperationException>(() => MessageCodec.Encode(request, 0));
        Assert.Equal(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF }, MessageCodec.Encode(request, 1));
    }
}
