using System.Buffers;
using Brook.Protocol.Messages;
using Brook.Protocol.Primitives;

namespace Brook.Protocol.Tests.Messages;

/// <summary>Whole frames: size prefix, the header version the API and version call for, the body.</summary>
public sealed class KafkaFramesTests
{
    [Fact]
    public void A_flexible_response_frame_carries_a_v1_header_with_a_tag_section()
    {
        var response = new MetadataResponse { ThrottleTimeMs = 1 };
        var buffer = new ArrayBufferWriter<byte>();
        KafkaFrames.WriteResponse(buffer, correlationId: 6, response, apiVersion: 12);
        byte[] frame = buffer.WrittenSpan.ToArray();
        // size, correlation id 6, empty header tag section, then throttle time 1.
        Assert.Equal(new byte[] { 0, 0, 0, 6, 0x00, 0, 0, 0, 1 }, frame[4..13]);
        Assert.Equal(ProtocolReadError.None, KafkaFrames.ReadResponse(frame.AsMemory(4), ApiKey.Metadata, 12, out int correlationId, out var body));
        Assert.Equal(6, correlationId);
        Assert.Equal(1, Assert.IsType<MetadataResponse>(body).ThrottleTimeMs);
    }

    [Fact]
    public void A_response_frame_has_size_header_and_body_and_ApiVersions_keeps_header_v0()
    {
        var response = new ApiVersionsResponse { ErrorCode = 35 };
        response.ApiKeys.Add(new ApiVersionsResponse.ApiVersion { ApiKey = 18, MinVersion = 0, MaxVersion = 3 });
        var buffer = new ArrayBufferWriter<byte>();
        int written = KafkaFrames.WriteResponse(buffer, correlationId: 5, response, apiVersion: 3);

        byte[] frame = buffer.WrittenSpan.ToArray();
        Assert.Equal(frame.Length, written);
        Assert.Equal(new byte[] { 0, 0, 0, (byte)(frame.Length - 4), 0, 0, 0, 5, 0, 35 }, frame[..10]);
        Assert.Equal(ProtocolReadError.None,
            KafkaFrames.ReadResponse(frame.AsMemory(4), ApiKey.ApiVersions, 3, out int correlationId, out var body));
        Assert.Equal(5, correlationId);
        var decoded = Assert.IsType<ApiVersionsResponse>(body);
        Assert.Equal(3, decoded.ApiKeys[0].MaxVersion);
    }
}
