using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using Brook.Client;
using Brook.Client.Connections;
using Brook.Protocol.Messages;
using Brook.Protocol.Records;

namespace Brook.Benchmarks.Transactions;

/// <summary>
/// <c>dotnet Brook.Benchmarks.dll transactions HOST:PORT TOPIC SECONDS</c>: one transactional
/// producer on Brook's own connection commits transactions of 100 x 1 KiB to partition 0 back to
/// back (AddPartitionsToTxn v5, one Produce acks=-1, EndTxn commit), with none of a full client's
/// timers in the way. Prints commits/s and latency percentiles as JSON.
/// </summary>
public static class TransactionCommitRun
{
    private const int Records = 100;
    private const int ValueSize = 1024;

    public static async Task RunAsync(string[] args)
    {
        string[] hostPort = args[0].Split(':');
        string topic = args[1];
        double seconds = double.Parse(args[2], CultureInfo.InvariantCulture);
        await using KafkaConnection connection = await KafkaConnection.ConnectAsync(hostPort[0], int.Parse(hostPort[1], CultureInfo.InvariantCulture), new KafkaClientOptions());
        const string id = "bench-raw-txn";
        InitProducerIdResponse init = await connection.SendAsync<InitProducerIdResponse>(new InitProducerIdRequest { TransactionalId = id, TransactionTimeoutMs = 60_000, ProducerId = -1, ProducerEpoch = -1 });
        Check(init.ErrorCode, "InitProducerId");
        int sequence = 0;
        var latencies = new List<double>();
        var total = Stopwatch.StartNew();
        int warmup = 20;
        while (total.Elapsed.TotalSeconds < seconds || warmup > 0)
        {
            long start = Stopwatch.GetTimestamp();
            // The connection negotiates v5, the batched form (one transaction here).
            var add = new AddPartitionsToTxnRequest
            {
                Transactions =
                [
                    new AddPartitionsToTxnRequest.AddPartitionsToTxnTransaction
                    {
                        TransactionalId = id,
                        ProducerId = init.ProducerId,
                        ProducerEpoch = init.ProducerEpoch,
                        Topics = [new AddPartitionsToTxnRequest.AddPartitionsToTxnTopic { Name = topic, Partitions = [0] }],
                    },
                ],
            };
            AddPartitionsToTxnResponse added = await connection.SendAsync<AddPartitionsToTxnResponse>(add);
            Check(added.ResultsByTransaction[0].TopicResults[0].ResultsByPartition[0].PartitionErrorCode, "AddPartitionsToTxn");
            ProduceResponse produced = await connection.SendAsync<ProduceResponse>(new ProduceRequest
            {
                TransactionalId = id,
                Acks = -1,
                TimeoutMs = 30_000,
                TopicData = [new ProduceRequest.TopicProduceData { Name = topic, PartitionData = [new ProduceRequest.PartitionProduceData { Index = 0, Records = Batch(init.ProducerId, init.ProducerEpoch, sequence) }] }],
            });
            Check(produced.Responses[0].PartitionResponses[0].ErrorCode, "Produce");
            sequence += Records;
            EndTxnResponse ended = await connection.SendAsync<EndTxnResponse>(new EndTxnRequest { TransactionalId = id, ProducerId = init.ProducerId, ProducerEpoch = init.ProducerEpoch, Committed = true });
            Check(ended.ErrorCode, "EndTxn");
            if (warmup > 0)
            {
                warmup--;
                if (warmup == 0)
                {
                    total.Restart();
                }
                continue;
            }
            latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        double elapsed = total.Elapsed.TotalSeconds;
        latencies.Sort();
        double Percentile(double q) => Math.Round(latencies[Math.Min(latencies.Count - 1, (int)(q * latencies.Count))], 2);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"client\": \"brook-raw\", \"commits\": {latencies.Count}, \"seconds\": {elapsed:F2}, \"commits_per_s\": {latencies.Count / elapsed:F1}, \"p50_ms\": {Percentile(0.5)}, \"p99_ms\": {Percentile(0.99)}, \"max_ms\": {Percentile(1.0)}}}"));
    }

    private static byte[] Batch(long producerId, short epoch, int sequence)
    {
        using var builder = new RecordBatchBuilder(new RecordBatchOptions { ProducerId = producerId, ProducerEpoch = epoch, BaseSequence = sequence, IsTransactional = true });
        byte[] value = new byte[ValueSize];
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        for (int i = 0; i < Records; i++)
        {
            builder.Append(now, ReadOnlySpan<byte>.Empty, keyIsNull: true, value, valueIsNull: false);
        }
        var output = new ArrayBufferWriter<byte>(Records * (ValueSize + 16));
        builder.WriteTo(output);
        return output.WrittenSpan.ToArray();
    }

    private static void Check(short error, string api)
    {
        if (error != 0)
        {
            throw new InvalidOperationException($"{api} failed with error {error}");
        }
    }
}
