using System.Buffers;
using System.Net;
using Brook.Broker.Tests.Support;
using Brook.Protocol.Messages;
using Brook.Protocol.Primitives;

namespace Brook.Broker.Tests.Handlers;

/// <summary>Sends requests encoded with the generated classes and decodes the answers, one socket, in order.</summary>
public sealed class KafkaTestClient : IDisposable
{
    private readonly RawKafkaClient _raw;
    private int _correlationId;

    private KafkaTestClient(RawKafkaClient raw)
    {
        _raw = raw;
    }

    public static async Task<KafkaTestClient> ConnectAsync(IPEndPoint endPoint) =>
        new(await RawKafkaClient.ConnectAsync(endPoint));

    /// <summary>Sends without reading an answer (Produce acks=0); returns the correlation id used.</summary>
    public async Task<int> SendOnlyAsync(IApiMessage request, short version)
    {
        int correlationId = ++_correlationId;
        var header = new RequestHeader { RequestApiKey = (short)request.ApiKey, RequestApiVersion = version, CorrelationId = correlationId, ClientId = "handler-tests" };
        var output = new ArrayBufferWriter<byte>();
        KafkaFrames.WriteRequest(output, header, request);
        await SendRawAsync(output.WrittenMemory);
        return correlationId;
    }

    public async Task<TResponse> SendAsync<TResponse>(IApiMessage request, short version)
        where TResponse : IApiMessage
    {
        int correlationId = await SendOnlyAsync(request, version);
        return await ReceiveAsync<TResponse>(request.ApiKey, version, correlationId);
    }

    public async Task<TResponse> ReceiveAsync<TResponse>(ApiKey apiKey, short version, int expectedCorrelationId)
        where TResponse : IApiMessage
    {
        byte[] frame = await ReceiveFrameAsync() ?? throw new InvalidOperationException("the broker closed the connection");
        ProtocolReadError error = KafkaFrames.ReadResponse(frame, apiKey, version, out int correlationId, out IApiMessage body);
        Assert.Equal(ProtocolReadError.None, error);
        Assert.Equal(expectedCorrelationId, correlationId);
        return (TResponse)body;
    }

    /// <summary>Creates a topic and checks that it worked.</summary>
    public async Task CreateTopicAsync(string name, int partitions = 1)
    {
        var response = await SendAsync<CreateTopicsResponse>(new CreateTopicsRequest
        {
            Topics = [new CreateTopicsRequest.CreatableTopic { Name = name, NumPartitions = partitions, ReplicationFactor = 1 }],
        }, 7);
        Assert.Equal(0, response.Topics[0].ErrorCode);
    }

    public Task SendRawAsync(ReadOnlyMemory<byte> bytes) => _raw.SendAsync(bytes);

    /// <summary>One response frame without its size prefix, or null when the broker closed the connection.</summary>
    public Task<byte[]?> ReceiveFrameAsync() => _raw.ReceiveFrameAsync();

    public void Dispose() => _raw.Dispose();
}
