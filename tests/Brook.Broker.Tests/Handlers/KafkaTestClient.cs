using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Brook.Broker.Tests.Support;
using Brook.Protocol.Messages;
using Brook.Protocol.Primitives;

namespace Brook.Broker.Tests.Handlers;

/// <summary>Sends requests encoded with the generated classes and decodes the answers, one socket, in order.</summary>
public sealed class KafkaTestClient : IDisposable
{
    private readonly Socket _socket;
    private int _correlationId;

    private KafkaTestClient(Socket socket)
    {
        _socket = socket;
    }

    public static async Task<KafkaTestClient> ConnectAsync(IPEndPoint endPoint)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var deadline = new CancellationTokenSource(Eventually.Deadline);
        await socket.ConnectAsync(endPoint, deadline.Token);
        return new KafkaTestClient(socket);
    }

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

    public async Task SendRawAsync(ReadOnlyMemory<byte> bytes)
    {
        using var deadline = new CancellationTokenSource(Eventually.Deadline);
        await _socket.SendAsync(bytes, SocketFlags.None, deadline.Token);
    }

    /// <summary>One response frame without its size prefix, or null when the broker closed the connection.</summary>
    public async Task<byte[]?> ReceiveFrameAsync()
    {
        byte[]? size = await ReceiveExactlyAsync(4);
        return size is null ? null : await ReceiveExactlyAsync(BinaryPrimitives.ReadInt32BigEndian(size));
    }

    public void Dispose() => _socket.Dispose();

    private async Task<byte[]?> ReceiveExactlyAsync(int count)
    {
        var buffer = new byte[count];
        using var deadline = new CancellationTokenSource(Eventually.Deadline);
        int filled = 0;
        while (filled < count)
        {
            int read;
            try
            {
                read = await _socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, deadline.Token);
            }
            catch (SocketException)
            {
                return null;
            }
            if (read == 0)
            {
                return null;
            }
            filled += read;
        }
        return buffer;
    }
}
