using System.Buffers;
using System.Buffers.Binary;

namespace Brook.Broker.Network;

/// <summary>
/// One request between being read and having its response written: the pooled copy of its bytes,
/// the response buffer the dispatcher fills, and the dispatcher's pending task. Reused by its
/// connection, so a steady request stream allocates no new ones.
/// </summary>
internal sealed class InFlightRequest
{
    private byte[] _payload = [];

    public KafkaResponseBuffer Response { get; } = new();

    public KafkaRequestFrame Frame { get; private set; }

    public ValueTask<KafkaDispatchResult> Pending { get; set; }

    /// <summary>Frame size without the size prefix; what the in-flight budget counts.</summary>
    public int Size { get; private set; }

    public long StartTimestamp { get; private set; }

    /// <summary>Copies a whole frame (after its size prefix) into a pooled array and parses the fixed header start.</summary>
    public void Load(in ReadOnlySequence<byte> payload, KafkaConnectionInfo connection, long startTimestamp)
    {
        Size = (int)payload.Length;
        _payload = ArrayPool<byte>.Shared.Rent(Size);
        payload.CopyTo(_payload);
        ReadOnlySpan<byte> header = _payload;
        Frame = new KafkaRequestFrame(
            apiKey: BinaryPrimitives.ReadInt16BigEndian(header),
            apiVersion: BinaryPrimitives.ReadInt16BigEndian(header[2..]),
            correlationId: BinaryPrimitives.ReadInt32BigEndian(header[4..]),
            payload: _payload.AsMemory(0, Size),
            connection: connection);
        StartTimestamp = startTimestamp;
    }

    /// <summary>Gives both buffers back to the pool; call only once the dispatcher's task has completed.</summary>
    public void Release()
    {
        if (_payload.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_payload);
            _payload = [];
        }
        Response.Reset();
        Frame = default;
        Pending = default;
        Size = 0;
    }
}
