using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Brook.Broker.Tests.Support;

/// <summary>A Kafka-framing client over a bare socket, for sending exactly the bytes a test wants.</summary>
public sealed class RawKafkaClient : IDisposable
{
    private readonly Socket _socket;

    private RawKafkaClient(Socket socket)
    {
        _socket = socket;
    }

    public static async Task<RawKafkaClient> ConnectAsync(IPEndPoint endPoint)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var deadline = new CancellationTokenSource(Eventually.Deadline);
        await socket.ConnectAsync(endPoint, deadline.Token);
        return new RawKafkaClient(socket);
    }

    /// <summary>A whole request frame: size, api_key, api_version, correlation_id, then <paramref name="rest"/>.</summary>
    public static byte[] Frame(short apiKey, short apiVersion, int correlationId, byte[]? rest = null)
    {
        rest ??= [];
        var frame = new byte[4 + 8 + rest.Length];
        BinaryPrimitives.WriteInt32BigEndian(frame, 8 + rest.Length);
        BinaryPrimitives.WriteInt16BigEndian(frame.AsSpan(4), apiKey);
        BinaryPrimitives.WriteInt16BigEndian(frame.AsSpan(6), apiVersion);
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(8), correlationId);
        rest.CopyTo(frame.AsSpan(12));
        return frame;
    }

    /// <summary>Sends all the given bytes in one write, so the server sees them arrive together.</summary>
    public Task SendAsync(params byte[][] chunks) => SendAsync(new ReadOnlyMemory<byte>([.. chunks.SelectMany(c => c)]));

    /// <summary>Sends every byte, however many socket writes that takes.</summary>
    public async Task SendAsync(ReadOnlyMemory<byte> bytes)
    {
        using var deadline = new CancellationTokenSource(Eventually.Deadline);
        int sent = 0;
        while (sent < bytes.Length)
        {
            sent += await _socket.SendAsync(bytes[sent..], SocketFlags.None, deadline.Token);
        }
    }

    public void ShutdownSend() => _socket.Shutdown(SocketShutdown.Send);

    /// <summary>Reads one response frame and splits off its v0 header.</summary>
    public async Task<(int CorrelationId, byte[] Body)> ReceiveResponseAsync()
    {
        byte[] payload = await ReceiveFrameAsync() ?? throw new InvalidOperationException("the server closed the connection");
        return (BinaryPrimitives.ReadInt32BigEndian(payload), payload[4..]);
    }

    /// <summary>One response frame without its size prefix, or null when the server closed (or reset) the connection.</summary>
    public async Task<byte[]?> ReceiveFrameAsync()
    {
        byte[]? size = await ReceiveExactlyAsync(4);
        return size is null ? null : await ReceiveExactlyAsync(BinaryPrimitives.ReadInt32BigEndian(size));
    }

    /// <summary>True once the server has closed (or reset) the connection; false if it sends data instead.</summary>
    public async Task<bool> IsClosedByServerAsync()
    {
        var buffer = new byte[256];
        using var deadline = new CancellationTokenSource(Eventually.Deadline);
        try
        {
            int read = await _socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token);
            return read == 0;
        }
        catch (SocketException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
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
