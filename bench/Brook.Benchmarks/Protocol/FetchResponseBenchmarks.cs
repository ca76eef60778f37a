using BenchmarkDotNet.Attributes;
using Brook.Protocol.Compression;
using Brook.Protocol.Messages;
using Brook.Protocol.Primitives;

namespace Brook.Benchmarks.Protocol;

/// <summary>
/// A client's or follower's view of a Fetch response carrying 1 MiB: decode the frame (records
/// stay slices of it) and encode it again. v11 is what librdkafka 2.0.2 asks for; v16 is the
/// newest (flexible, topic ids instead of names).
/// </summary>
public class FetchResponseBenchmarks : FrameRoundTripBenchmark
{
    [Params((short)11, FetchResponse.HighestSupportedVersion)]
    public short Version { get; set; }

    [Benchmark]
    public override int DecodeAndReencode()
    {
        ProtocolReadError error = KafkaFrames.ReadResponse(Frame, ApiKey.Fetch, Version, out int correlationId, out IApiMessage body);
        if (error != ProtocolReadError.None)
        {
            throw new InvalidOperationException($"decoding failed: {error}");
        }
        Output.Clear();
        return KafkaFrames.WriteResponse(Output, correlationId, body, Version);
    }

    protected override void WriteFrame(PooledBufferWriter output, byte[][] batches)
    {
        var response = new FetchResponse();
        var topic = new FetchResponse.FetchableTopicResponse();
        // Topic ids replaced names in v13.
        if (Version >= 13)
        {
            topic.TopicId = new Uuid(0x1234_5678_9abc_def0, 0x0fed_cba9_8765_4321);
        }
        else
        {
            topic.Topic = "records";
        }
        for (int i = 0; i < batches.Length; i++)
        {
            topic.Partitions.Add(new FetchResponse.PartitionData
            {
                PartitionIndex = i,
                HighWatermark = 1024,
                LastStableOffset = 1024,
                LogStartOffset = 0,
                Records = batches[i],
            });
        }
        response.Responses.Add(topic);
        KafkaFrames.WriteResponse(output, correlationId: 4, response, Version);
    }
}
