using BenchmarkDotNet.Attributes;
using Brook.Protocol.Compression;
using Brook.Protocol.Messages;
using Brook.Protocol.Primitives;

namespace Brook.Benchmarks.Protocol;

/// <summary>
/// A client's or follower's view of a Fetch response carrying 1 MiB: decode the frame (records
/// stay slices of it) and encode it again into a reused pooled buffer. v11 is what librdkafka
/// 2.0.2 asks for; v16 is the newest (flexible, topic ids instead of names).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ProtocolBenchmarkConfig))]
public class FetchResponseBenchmarks
{
    private const int CorrelationId = 4;
    private byte[] _frame = [];
    private PooledBufferWriter _output = null!;

    [Params((short)11, FetchResponse.HighestSupportedVersion)]
    public short Version { get; set; }

    /// <summary>1 batch of 1 MiB in one partition, or 16 partitions of one 64 KiB batch each.</summary>
    [Params(1, 16)]
    public int Partitions { get; set; }

    [GlobalSetup]
    public void Setup()
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
        byte[][] batches = ProtocolPayload.Batches(Partitions);
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
        _frame = ProtocolFrames.WithoutSizePrefix(output => KafkaFrames.WriteResponse(output, CorrelationId, response, Version));
        _output = new PooledBufferWriter(_frame.Length + 64);
        if (DecodeAndReencode() != _frame.Length + 4)
        {
            throw new InvalidOperationException("the re-encoded response differs in size from the frame");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _output.Dispose();

    [Benchmark]
    public int DecodeAndReencode()
    {
        ProtocolReadError error = KafkaFrames.ReadResponse(_frame, ApiKey.Fetch, Version, out int correlationId, out IApiMessage body);
        if (error != ProtocolReadError.None)
        {
            throw new InvalidOperationException($"decoding failed: {error}");
        }
        _output.Clear();
        return KafkaFrames.WriteResponse(_output, correlationId, body, Version);
    }
}
