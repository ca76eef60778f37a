using System.Buffers;
using System.Buffers.Binary;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Brook.Protocol.Records;
using Microsoft.AspNetCore.Connections;
using Microsoft.Win32.SafeHandles;

namespace Brook.Broker.Network;

/// <summary>
/// Writes responses straight to the connection's socket, bypassing Kestrel's output pipe: small
/// responses are gathered in one send buffer and leave together at <see cref="FlushAsync"/>;
/// record slices of at least <c>sendFileMinBytes</c> go from their segment file to the socket by
/// sendfile(2) (no copy through user space), smaller ones are read into the send buffer; large
/// buffer parts are sent from the response buffer without a copy.
/// </summary>
/// <remarks>
/// Since every byte of the connection goes through here, in order, after the previous send
/// completed, nothing can overtake: a sendfile starts only once the bytes before it are in the
/// kernel. Kestrel's own send loop stays idle (its pipe is never written).
/// </remarks>
internal sealed class SocketResponseWriter(Socket socket, int sendFileMinBytes) : ResponseWriter
{
    // Parts at least this large are sent from where they are instead of copied into the send buffer.
    private const int DirectSendBytes = 64 * 1024;

    private readonly FileSendOperation _fileSend = new();
    private byte[] _buffer = [];
    private int _count;

    private int Free => _buffer.Length - _count;

    public override ValueTask<bool> WriteAsync(KafkaResponseBuffer response)
    {
        if (_buffer.Length == 0)
        {
            _buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        }
        int frameLength = SizePrefixLength + response.WrittenCount;
        if (!response.HasDeferred && frameLength <= Free)
        {
            // The common case: a small response joins the others waiting to be sent.
            BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(_count), response.WrittenCount);
            response.WrittenSpan.CopyTo(_buffer.AsSpan(_count + SizePrefixLength));
            _count += frameLength;
            return ValueTask.FromResult(true);
        }
        return WriteLargeFrameAsync(response);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<bool> FlushAsync()
    {
        await SendBufferedAsync();
        return true;
    }

    public override void Dispose()
    {
        _fileSend.Dispose();
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> WriteLargeFrameAsync(KafkaResponseBuffer response)
    {
        if (Free < SizePrefixLength)
        {
            await SendBufferedAsync();
        }
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(_count), checked((int)response.ResponseLength));
        _count += SizePrefixLength;
        return await WriteResponseBytesAsync(response);
    }

    /// <summary>Copies <paramref name="bytes"/> into the send buffer, or sends them where they are when they are large.</summary>
    protected override async ValueTask<bool> WriteBytesAsync(ReadOnlyMemory<byte> bytes)
    {
        if (bytes.Length >= DirectSendBytes)
        {
            await SendBufferedAsync();
            await SendAsync(bytes);
            return true;
        }
        if (bytes.Length > Free)
        {
            await SendBufferedAsync();
        }
        bytes.Span.CopyTo(_buffer.AsSpan(_count));
        _count += bytes.Length;
        return true;
    }

    protected override async ValueTask<bool> WriteRecordsAsync(DeferredRecords records)
    {
        if (records.Length >= sendFileMinBytes && records.TryGetFile(out SafeFileHandle? file, out long position))
        {
            using FileStream? sendable = SendableFile.TryOpen(file);
            if (sendable is not null)
            {
                await SendBufferedAsync();
                await SendFileAsync(sendable, position, records.Length);
                return true;
            }
        }
        for (long at = 0; at < records.Length;)
        {
            if (Free == 0)
            {
                await SendBufferedAsync();
            }
            int count = (int)Math.Min(Free, records.Length - at);
            records.CopyTo(at, _buffer.AsSpan(_count, count));
            _count += count;
            at += count;
        }
        return true;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask SendBufferedAsync()
    {
        if (_count > 0)
        {
            await SendAsync(_buffer.AsMemory(0, _count));
            _count = 0;
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask SendAsync(ReadOnlyMemory<byte> bytes)
    {
        try
        {
            // For a stream socket this completes once every byte is in the kernel's send buffer.
            await socket.SendAsync(bytes, SocketFlags.None);
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
            throw new ConnectionResetException("the socket failed", exception);
        }
    }

    private async ValueTask SendFileAsync(FileStream file, long position, int count)
    {
        SocketError error;
        try
        {
            error = await _fileSend.SendAsync(socket, file, position, count);
        }
        catch (ObjectDisposedException exception)
        {
            throw new ConnectionResetException("the socket was closed", exception);
        }
        if (error == SocketError.InvalidArgument)
        {
            // The runtime checks the file's length before sending: it was cut below the slice.
            throw new IOException($"the segment file no longer holds {count} bytes at {position}, promised in a response");
        }
        if (error != SocketError.Success)
        {
            throw new ConnectionResetException("sendfile failed", new SocketException((int)error));
        }
    }
}
