using System.Buffers;
using Brook.Protocol.Messages;
using Brook.Protocol.Primitives;

namespace Brook.Protocol.Tests.Messages;

/// <summary>Small encode/decode helpers shared by the message tests.</summary>
internal static class MessageCodec
{
    public static byte[] Encode(IProtocolStruct message, short version)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new KafkaWriter(buffer);
        message.Write(ref writer, version);
        Assert.Equal(buffer.WrittenCount, writer.Written);
        return buffer.WrittenSpan.ToArray();
    }

    public static ProtocolReadError Decode(IProtocolStruct target, ReadOnlyMemory<byte> bytes, short version, out int remaining)
    {
        var reader = new KafkaReader(bytes);
        target.Read(ref reader, version);
        remaining = reader.Remaining;
        return reader.Error;
    }
}
