using System.Runtime.InteropServices;
using Brook.Protocol.Messages;
using Brook.Protocol.Primitives;

namespace Brook.Protocol.Tests.Messages;

/// <summary>Record data is never copied on decode: it stays a slice of the request bytes.</summary>
public sealed class ZeroCopyTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static byte[] ProduceFrameBody(int recordBytes, short version)
    {
        var request = new ProduceRequest { Acks = -1, TimeoutMs = 30_000 };
        var topic = new ProduceRequest.TopicProduceData { Name = "events" };
        var records = new byte[recordBytes];
        new Random(1).NextBytes(records);
        topic.PartitionData.Add(new ProduceRequest.PartitionProduceData { Index = 0, Records = records });
        request.TopicData.Add(topic);
        return MessageCodec.Encode(request, version);
    }

    [Fact]
    public void Produce_records_decode_as_a_slice_of_the_input()
    {
        byte[] body = ProduceFrameBody(1 << 20, 9);
        var request = new ProduceRequest();
        Assert.Equal(ProtocolReadError.None, MessageCodec.Decode(request, body, 9, out _));

        var records = request.TopicData[0].PartitionData[0].Records!.Value;
        Assert.Equal(1 << 20, records.Length);
        Assert.True(MemoryMarshal.TryGetArray(records, out var segment));
        Assert.Same(body, segment.Array);
    }

    [Fact]
    public void Decoding_a_one_mebibyte_produce_allocates_only_a_few_small_objects()
    {
        byte[] body = ProduceFrameBody(1 << 20, 9);
        MessageCodec.Decode(new ProduceRequest(), body, 9, out _);

        long before = GC.GetAllocatedBytesForCurrentThread();
        var request = new ProduceRequest();
        var reader = new KafkaReader(body);
        request.Read(ref reader, 9);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(ProtocolReadError.None, reader.Error);
        output.WriteLine($"Decoding a {body.Length}-byte Produce v9 body allocated {allocated} bytes.");
        // The message, two lists, two structs and the topic name: well under a kilobyte.
        Assert.True(allocated < 1024, $"allocated {allocated} bytes");
    }
}
