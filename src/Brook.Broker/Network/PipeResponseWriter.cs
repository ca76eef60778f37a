using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using Brook.Protocol.Records;
using Microsoft.AspNetCore.Connections;

namespace Brook.Broker.Network;

/// <summary>
/// Writes responses into Kestrel's output pipe, whose transport sends them; used when the
/// transport does not expose its socket (or sendfile is off). Records kept in their files are read
/// straight into the pipe's buffers (the only copy before the socket's).
/// </summary>
internal sealed class PipeResponseWriter(PipeWriter output) : ResponseWriter
{
    public override ValueTask<bool> WriteAsync(KafkaResponseBuffer response)
    {
        if (response.HasDeferred || response.WrittenCount > ChunkBytes)
        {
            return WriteLargeFrameAsync(response);
        }
        BinaryPrimitives.WriteInt32BigEndian(output.GetSpan(SizePrefixLength), response.WrittenCount);
        output.Advance(SizePrefixLength);
        output.Write(response.WrittenSpan);
        return ValueTask.FromResult(true);
    }

    public override async ValueTask<bool> FlushAsync()
    {
        FlushResult flushed;
        try
        {
            flushed = await output.FlushAsync();
        }
        catch (Exception exception) when (exception is IOException or ConnectionAbortedException or InvalidOperationException)
        {
            throw new ConnectionResetException("the transport failed", exception);
        }
        return !(flushed.IsCompleted || flushed.IsCanceled);
    }

    /// <summary>
    /// A large response (a Fetch) goes into the pipe a chunk at a time, flushing whenever a chunk's
    /// worth is unflushed, so the pipe's back-pressure holds the copy to a few chunks instead of
    /// the whole response in transport memory that is pooled for good, while a fetch of many small
    /// slices still leaves in one send.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> WriteLargeFrameAsync(KafkaResponseBuffer response)
    {
        BinaryPrimitives.WriteInt32BigEndian(output.GetSpan(SizePrefixLength), checked((int)response.ResponseLength));
        output.Advance(SizePrefixLength);
        return await WriteResponseBytesAsync(response) && await FlushAsync();
    }

    /// <summary>Copies buffer bytes into the pipe a chunk at a time (the caller flushes the rest).</summary>
    protected override async ValueTask<bool> WriteBytesAsync(ReadOnlyMemory<byte> bytes)
    {
        for (int at = 0; at < bytes.Length; at += ChunkBytes)
        {
            output.Write(bytes.Span.Slice(at, Math.Min(ChunkBytes, bytes.Length - at)));
            if (!await FlushWhenChunkUnflushedAsync())
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Reads the records from their file into the pipe's own buffers a chunk at a time (the caller flushes the rest).</summary>
    protected override async ValueTask<bool> WriteRecordsAsync(DeferredRecords records)
    {
        for (long at = 0; at < records.Length;)
        {
            int wanted = (int)Math.Min(ChunkBytes, records.Length - at);
            Memory<byte> memory = output.GetMemory(wanted);
            int count = Math.Min(wanted, memory.Length);
            records.CopyTo(at, memory.Span[..count]);
            output.Advance(count);
            at += count;
            if (!await FlushWhenChunkUnflushedAsync())
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Flushes once a chunk's worth waits in the pipe (always, when the pipe cannot tell).</summary>
    private ValueTask<bool> FlushWhenChunkUnflushedAsync() =>
        output.CanGetUnflushedBytes && output.UnflushedBytes < ChunkBytes ? ValueTask.FromResult(true) : FlushAsync();
}
