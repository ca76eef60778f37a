using BenchmarkDotNet.Attributes;
using Brook.Protocol.Compression;
using Brook.Protocol.Messages;
using Brook.Protocol.Primitives;

namespace Brook.Benchmarks.Protocol;

/// <summary>
/// A broker's first and last steps for a Produce request carrying 1 MiB: decode the frame
/// (the records stay slices of it) and encode the message again into a reused pooled buffer.
/// v7 is what librdkafka 2.0.2 and kafka-python 2.0.2 send; v11 is the newest (flexible).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ProtocolBenchmarkConfig))]
public class ProduceRequestBenchmarks
{
    private byte[] _frame = [];
    private PooledBufferWriter _output = null!;

    [Params((short)7, ProduceRequest.HighestSupportedVersion)]
    public short Version { get; set; }

    /// <summary>1 batch of 1 MiB in one partition, or 16 partitions of one 64 KiB batch each.</summary>
    [Params(1, 16)]
    public int Partitions { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var request = new ProduceRequest { Acks = -1, TimeoutMs = 30_000 };
        var topic = new ProduceRequest.TopicProduceData { Name = "records" };
        byte[][] batches = ProtocolPayload.Batches(Partitions);
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
        _frame = ProtocolFrames.WithoutSizePrefix(output => KafkaFrames.WriteRequest(output, header, request));
        _output = new PooledBufferWriter(_frame.Length + 64);
        if (DecodeAndReencode() != _frame.Length + 4)
        {
            throw new InvalidOperationException("the re-encoded request differs in size from the frame");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _output.Dispose();

    [Benchmark]
    public int DecodeAndReencode()
    {
        ProtocolReadError error = KafkaFrames.ReadRequest(_frame, out RequestHeader header, out IApiMessage? body);
        if (error != ProtocolReadError.None || body is null)
        {
            throw new InvalidOperationException($"decoding failed: {error}");
        }
        _output.Clear();
        return KafkaFrames.WriteRequest(_output, header, body);
    }
}
