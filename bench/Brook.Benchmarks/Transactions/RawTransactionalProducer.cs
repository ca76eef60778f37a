using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using Brook.Client;
using Brook.Client.Connections;
using Brook.Protocol.Messages;
using Brook.Protocol.Records;

namespace Brook.Benchmarks.Transactions;

/// <summary>
/// One transactional producer on Brook's own connection, with none of a full client's timers in
/// the way: a transaction is AddPartitionsToTxn v5 (the batched form), one Produce acks=-1 of
/// 100 x 1 KiB to one partition and EndTxn, each awaited before the next.
/// </summary>
internal sealed class RawTransactionalProducer : IAsyncDisposable
{
    public const int Records = 100;
    public const int ValueSize = 1024;

    private const int BatchCapacity = Records * (ValueSize + 16);
    private static readonly byte[] Value = new byte[ValueSize];

    private readonly KafkaConnection _connection;
    private readonly string _id;
    private readonly string _topic;
    private readonly InitProducerIdResponse _init;
    private readonly Dictionary<int, int> _sequences = [];
    private readonly RecordBatchBuilder _builder = new(RecordBatchOptions.Default, BatchCapacity);
    private readonly ArrayBufferWriter<byte> _output = new(BatchCapacity);

    private RawTransactionalProducer(KafkaConnection connection, string id, string topic, InitProducerIdResponse init)
    {
        _connection = connection;
        _id = id;
        _topic = topic;
        _init = init;
    }

    public static async Task<RawTransactionalProducer> ConnectAsync(string bootstrap, string id, string topic)
    {
        string[] hostPort = bootstrap.Split(':');
        KafkaConnection connection = await KafkaConnection.ConnectAsync(hostPort[0], int.Parse(hostPort[1], CultureInfo.InvariantCulture), new KafkaClientOptions());
        InitProducerIdResponse init = await connection.SendAsync<InitProducerIdResponse>(new InitProducerIdRequest { TransactionalId = id, TransactionTimeoutMs = 60_000, ProducerId = -1, ProducerEpoch = -1 });
        Check(init.ErrorCode, "InitProducerId");
        return new RawTransactionalProducer(connection, id, topic, init);
    }

    /// <summary>Time spent in each request of the transactions run so far (AddPartitionsToTxn, Produce, EndTxn), in Stopwatch ticks.</summary>
    public long[] PhaseTicks { get; } = new long[3];

    /// <summary>One transaction of <see cref="Records"/> records to <paramref name="partition"/>, committed or aborted.</summary>
    public async Task RunTransactionAsync(int partition, bool commit)
    {
        long start = Stopwatch.GetTimestamp();
        var add = new AddPartitionsToTxnRequest
        {
            Transactions =
            [
                new AddPartitionsToTxnRequest.AddPartitionsToTxnTransaction
                {
                    TransactionalId = _id,
                    ProducerId = _init.ProducerId,
                    ProducerEpoch = _init.ProducerEpoch,
                    Topics = [new AddPartitionsToTxnRequest.AddPartitionsToTxnTopic { Name = _topic, Partitions = [partition] }],
                },
            ],
        };
        Task<AddPartitionsToTxnResponse> adding = await _connection.StartAsync<AddPartitionsToTxnResponse>(add);
        // Records are batched while the partition is being added, as producers accumulate them
        // meanwhile; the batch is sent only once the add is answered.
        int sequence = _sequences.GetValueOrDefault(partition);
        ReadOnlyMemory<byte> batch = NextBatch(sequence);
        AddPartitionsToTxnResponse added = await adding;
        Check(added.ResultsByTransaction[0].TopicResults[0].ResultsByPartition[0].PartitionErrorCode, "AddPartitionsToTxn");
        long addedAt = Stopwatch.GetTimestamp();
        ProduceResponse produced = await _connection.SendAsync<ProduceResponse>(new ProduceRequest
        {
            TransactionalId = _id,
            Acks = -1,
            TimeoutMs = 30_000,
            TopicData = [new ProduceRequest.TopicProduceData { Name = _topic, PartitionData = [new ProduceRequest.PartitionProduceData { Index = partition, Records = batch }] }],
        });
        Check(produced.Responses[0].PartitionResponses[0].ErrorCode, "Produce");
        long producedAt = Stopwatch.GetTimestamp();
        // An aborted batch still takes its sequence numbers.
        _sequences[partition] = sequence + Records;
        EndTxnResponse ended = await _connection.SendAsync<EndTxnResponse>(new EndTxnRequest { TransactionalId = _id, ProducerId = _init.ProducerId, ProducerEpoch = _init.ProducerEpoch, Committed = commit });
        Check(ended.ErrorCode, "EndTxn");
        PhaseTicks[0] += addedAt - start;
        PhaseTicks[1] += producedAt - addedAt;
        PhaseTicks[2] += Stopwatch.GetTimestamp() - producedAt;
    }

    /// <summary>A transactional batch of <see cref="Records"/> records of <see cref="ValueSize"/> bytes.</summary>
    public static byte[] Batch(long producerId, short epoch, int sequence)
    {
        using var builder = new RecordBatchBuilder(BatchOptions(producerId, epoch, sequence), BatchCapacity);
        var output = new ArrayBufferWriter<byte>(BatchCapacity);
        Build(builder, output);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>The next batch, built in this producer's reused buffers (valid until the next call, as a producer's buffers are).</summary>
    private ReadOnlyMemory<byte> NextBatch(int sequence)
    {
        _builder.Reset(BatchOptions(_init.ProducerId, _init.ProducerEpoch, sequence));
        _output.ResetWrittenCount();
        Build(_builder, _output);
        return _output.WrittenMemory;
    }

    private static RecordBatchOptions BatchOptions(long producerId, short epoch, int sequence) =>
        new() { ProducerId = producerId, ProducerEpoch = epoch, BaseSequence = sequence, IsTransactional = true };

    private static void Build(RecordBatchBuilder builder, ArrayBufferWriter<byte> output)
    {
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        for (int i = 0; i < Records; i++)
        {
            builder.Append(now, ReadOnlySpan<byte>.Empty, keyIsNull: true, Value, valueIsNull: false);
        }
        builder.WriteTo(output);
    }

    private static void Check(short error, string api)
    {
        if (error != 0)
        {
            throw new InvalidOperationException($"{api} failed with error {error}");
        }
    }

    public ValueTask DisposeAsync()
    {
        _builder.Dispose();
        return _connection.DisposeAsync();
    }
}
