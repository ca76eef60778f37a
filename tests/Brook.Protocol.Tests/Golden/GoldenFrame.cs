using System.Buffers;
using System.Runtime.InteropServices;
using Brook.Protocol.Messages;
using Brook.Protocol.Primitives;
using Brook.Protocol.Tests.Records;

namespace Brook.Protocol.Tests.Golden;

/// <summary>A captured request frame decoded with the generated code, and the means to re-encode it.</summary>
internal sealed class GoldenFrame
{
    private GoldenFrame(byte[] bytes, RequestHeader header, IApiMessage body)
    {
        Bytes = bytes;
        Header = header;
        Body = body;
    }

    /// <summary>The frame as the client sent it, without the size prefix.</summary>
    public byte[] Bytes { get; }

    public RequestHeader Header { get; }

    public IApiMessage Body { get; }

    /// <summary>Decodes a fixture through <see cref="KafkaFrames.ReadRequest"/>; fails the test on any read error.</summary>
    public static GoldenFrame Load(string fixture)
    {
        byte[] bytes = CapturedFixtures.Load(fixture);
        ProtocolReadError error = KafkaFrames.ReadRequest(bytes, out RequestHeader header, out IApiMessage? body);
        Assert.Equal(ProtocolReadError.None, error);
        Assert.NotNull(body);
        return new GoldenFrame(bytes, header, body);
    }

    /// <summary>Asserts the request header and that the body is of the same API.</summary>
    public void AssertHeader(ApiKey apiKey, short version, int correlationId, string clientId)
    {
        Assert.Equal((short)apiKey, Header.RequestApiKey);
        Assert.Equal(apiKey, Body.ApiKey);
        Assert.Equal(version, Header.RequestApiVersion);
        Assert.Equal(correlationId, Header.CorrelationId);
        Assert.Equal(clientId, Header.ClientId);
    }

    /// <summary>
    /// The decoded header and body written back at the version the client used, without the
    /// size prefix (which is checked against the frame's length).
    /// </summary>
    public byte[] Reencode()
    {
        var buffer = new ArrayBufferWriter<byte>();
        int written = KafkaFrames.WriteRequest(buffer, Header, Body);
        Assert.Equal(buffer.WrittenCount, written);
        Assert.Equal(written - 4, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(buffer.WrittenSpan));
        return buffer.WrittenSpan[4..].ToArray();
    }

    /// <summary>Asserts that <paramref name="slice"/> points into this frame's buffer (zero-copy decoding) at the given offset.</summary>
    public void AssertIsSliceOfFrame(ReadOnlyMemory<byte> slice, int expectedOffset)
    {
        Assert.True(MemoryMarshal.TryGetArray(slice, out ArraySegment<byte> segment));
        Assert.Same(Bytes, segment.Array);
        Assert.Equal(expectedOffset, segment.Offset);
    }

    /// <summary>Where <paramref name="needle"/> occurs in the frame, once and only once.</summary>
    public int OffsetOf(ReadOnlySpan<byte> needle)
    {
        int offset = Bytes.AsSpan().IndexOf(needle);
        Assert.True(offset >= 0, "not found in the frame");
        Assert.Equal(-1, Bytes.AsSpan(offset + 1).IndexOf(needle));
        return offset;
    }
}
