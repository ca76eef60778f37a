using System.Buffers;
using Brook.Protocol.Primitives;

namespace Brook.Protocol.Messages;

/// <summary>
/// The frame around a body: <c>int32 size</c>, a request or response header whose version
/// follows from the API key and version (FACTS.md §1), then the body.
/// </summary>
public static class KafkaFrames
{
    /// <summary>
    /// Reads a request frame (the bytes after the size prefix): the header, then the body when
    /// the API key and version are known. Returns the reader's error; <paramref name="body"/> is
    /// null when the key is unknown or the version is outside the supported range (the header
    /// is still read, so the caller can answer with its correlation id). <c>bytes</c> and
    /// <c>records</c> fields of the body are slices of <paramref name="frame"/>, so the frame's
    /// buffer must outlive the body. Bytes after the body are left unread and not an error.
    /// </summary>
    public static ProtocolReadError ReadRequest(ReadOnlyMemory<byte> frame, out RequestHeader header, out IApiMessage? body)
    {
        var reader = new KafkaReader(frame);
        header = ReadRequestHeader(ref reader);
        body = null;
        if (reader.HasError)
        {
            return reader.Error;
        }
        body = ReadRequestBody(ref reader, header);
        return reader.Error;
    }

    /// <summary>
    /// Reads a request header, choosing its version from the API key and version in its first
    /// four bytes. An unknown key is read as header v1.
    /// </summary>
    public static RequestHeader ReadRequestHeader(ref KafkaReader reader)
    {
        var peek = reader;
        short apiKey = peek.ReadInt16();
        short apiVersion = peek.ReadInt16();
        short headerVersion = ApiMessageTypes.Find(apiKey)?.RequestHeaderVersion(apiVersion) ?? 1;
        var header = new RequestHeader();
        header.Read(ref reader, headerVersion);
        return header;
    }

    /// <summary>The body after <paramref name="header"/>, or null for an unknown key or unsupported version.</summary>
    public static IApiMessage? ReadRequestBody(ref KafkaReader reader, RequestHeader header)
    {
        ArgumentNullException.ThrowIfNull(header);
        var type = ApiMessageTypes.Find(header.RequestApiKey);
        if (type is null || !type.IsSupported(header.RequestApiVersion))
        {
            return null;
        }
        var body = ApiMessageTypes.CreateRequest(type.Key);
        body.Read(ref reader, header.RequestApiVersion);
        return body;
    }

    /// <summary>
    /// Reads a response frame (the bytes after the size prefix) for the request the caller sent:
    /// the header version follows from <paramref name="apiKey"/> and <paramref name="apiVersion"/>.
    /// </summary>
    public static ProtocolReadError ReadResponse(ReadOnlyMemory<byte> frame, ApiKey apiKey, short apiVersion,
        out int correlationId, out IApiMessage body)
    {
        var reader = new KafkaReader(frame);
        var header = new ResponseHeader();
        header.Read(ref reader, ApiMessageTypes.Get(apiKey).ResponseHeaderVersion(apiVersion));
        correlationId = header.CorrelationId;
        body = ApiMessageTypes.CreateResponse(apiKey);
        body.Read(ref reader, apiVersion);
        return reader.Error;
    }

    /// <summary>Writes a whole response frame (size, header, body). Returns the bytes written.</summary>
    public static int WriteResponse(IBufferWriter<byte> output, int correlationId, IApiMessage response, short apiVersion)
    {
        ArgumentNullException.ThrowIfNull(response);
        short headerVersion = ApiMessageTypes.Get(response.ApiKey).ResponseHeaderVersion(apiVersion);
        var header = new ResponseHeader { CorrelationId = correlationId };
        int size = header.ComputeSize(headerVersion) + response.ComputeSize(apiVersion);
        var writer = new KafkaWriter(output);
        writer.WriteInt32(size);
        header.Write(ref writer, headerVersion);
        response.Write(ref writer, apiVersion);
        return size + 4;
    }

    /// <summary>Writes a whole request frame; the header's API key and version say how to encode.</summary>
    public static int WriteRequest(IBufferWriter<byte> output, RequestHeader header, IApiMessage request)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(request);
        short headerVersion = ApiMessageTypes.Get(request.ApiKey).RequestHeaderVersion(header.RequestApiVersion);
        int size = header.ComputeSize(headerVersion) + request.ComputeSize(header.RequestApiVersion);
        var writer = new KafkaWriter(output);
        writer.WriteInt32(size);
        header.Write(ref writer, headerVersion);
        request.Write(ref writer, header.RequestApiVersion);
        return size + 4;
    }
}
