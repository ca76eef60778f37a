using BenchmarkDotNet.Attributes;
using Brook.Protocol.Compression;
using Brook.Protocol.Messages;
using Brook.Protocol.Primitives;

namespace Brook.Benchmarks.Protocol;

/// <summary>
/// A broker's first and last steps for a Produce request carrying 1 MiB: decode the frame
/// (the records stay slices of it) and encode the message again.
/// v7 is what librdkafka 2.0.2 and kafka-python 2.0.2 send; v11 is the newest (flexible).
/// </summary>
public class ProduceRequestBenchmarks : FrameRoundTripBenchmark
{
    [Params((short)7, ProduceRequest.HighestSupportedVersion)]
    public short Version { get; set; }

    [Benchmark]
    public override int DecodeAndReencode()
    {
        ProtocolReadError error = KafkaFrames.ReadRequest(Frame, out RequestHeader header, out IApiMessage? body);
        if (error != ProtocolReadError.None || body is null)
        {
            throw new InvalidOperationException($"decoding failed: {error}");
        }
        Output.Clear();
        return KafkaFrames.WriteRequest(Output, header, body);
    }

    protected override void WriteFrame(PooledBufferWriter output, byte[][] batches)
    {
        var request = new ProduceRequest { Acks = -1, TimeoutMs = 30_000 };
        var topic = new ProduceRequest.TopicProduceData { Name = "records" };
        for (int i = 0; i < batches.Length; i++)
        {
            topic.PartitionData.Add(new ProduceRequest.PartitionProduceData { Index = i, Records = batches[i] });
        }
        request.TopicData.Add(topic);
        var header = new RequestHeader
        {
            RequestApiKey = (short)ApiKey.Produce,
            RequestApiVersion = Version,
            CorrelationId = 3,
            ClientId = "rdkafka",
        };
        KafkaFrames.WriteRequest(output, header, request);
    }
}
