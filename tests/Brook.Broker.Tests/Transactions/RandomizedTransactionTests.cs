using System.Globalization;
using System.Text;
using Brook.Broker.Tests.Handlers;
using Brook.Protocol.Messages;
using Brook.Protocol.Records;
using Brook.Storage.Transactions;
using Xunit.Abstractions;

namespace Brook.Broker.Tests.Transactions;

/// <summary>
/// Interleaved transactional and plain producers on several partitions, with random appends,
/// commits, aborts and restarts, checked against an in-memory model: the last stable offset
/// (ListOffsets and Fetch), the aborted-transactions lists of read_committed fetches, and what a
/// read_committed consumer keeps after applying them. The seed is printed; set BROOK_TXN_SEED to
/// replay one.
/// </summary>
public sealed class RandomizedTransactionTests(ITestOutputHelper output)
{
    private const string Topic = "r";
    private const int Partitions = 3;
    private static readonly long[] TransactionalProducers = [100, 101, 102];
    private const long IdempotentProducer = 200;

    [Fact]
    public async Task Interleaved_transactional_and_plain_producers_match_the_model()
    {
        int seed = int.TryParse(Environment.GetEnvironmentVariable("BROOK_TXN_SEED"), CultureInfo.InvariantCulture, out int fixedSeed) ? fixedSeed : Random.Shared.Next();
        output.WriteLine($"seed {seed}");
        var random = new Random(seed);
        var model = new Model();
        await using var broker = await TxnBroker.StartAsync();
        var client = await broker.ConnectAsync();
        try
        {
            // Small segments, so transactions and their aborted entries span segment boundaries.
            var created = await client.SendAsync<CreateTopicsResponse>(Requests.CreateTopic(Topic, Partitions, configs: ("segment.bytes", "1024")), 7);
            Assert.Equal(0, created.Topics[0].ErrorCode);
            for (int step = 0; step < 300; step++)
            {
                int roll = random.Next(100);
                if (roll < 40)
                {
                    await TransactionalAppendAsync(client, model, random);
                }
                else if (roll < 70)
                {
                    await PlainAppendAsync(client, model, random);
                }
                else if (roll < 97)
                {
                    await EndTransactionAsync(client, model, random);
                }
                else
                {
                    client.Dispose();
                    await broker.RestartAsync();
                    client = await broker.ConnectAsync();
                }
                if (step % 15 == 14)
                {
                    await CheckAsync(client, model, random, $"seed {seed}, step {step}");
                }
            }
            await CheckAsync(client, model, random, $"seed {seed}, end");
        }
        finally
        {
            client.Dispose();
        }
    }

    private static async Task TransactionalAppendAsync(KafkaTestClient client, Model model, Random random)
    {
        long producerId = TransactionalProducers[random.Next(TransactionalProducers.Length)];
        int partition = random.Next(Partitions);
        List<string> keys = model.NewKeys($"t{producerId}", random.Next(1, 4));
        int sequence = model.NextSequence(producerId, partition, keys.Count);
        byte[] batch = TxnBatches.Keys(producerId, 0, sequence, transactional: true, keys);
        long baseOffset = await ProduceAsync(client, partition, batch, "tx" + producerId);
        model.AppendTransactional(producerId, partition, keys, baseOffset);
    }

    private static async Task PlainAppendAsync(KafkaTestClient client, Model model, Random random)
    {
        int partition = random.Next(Partitions);
        bool idempotent = random.Next(2) == 0;
        List<string> keys = model.NewKeys("p", random.Next(1, 4));
        byte[] batch = idempotent
            ? TxnBatches.Keys(IdempotentProducer, 0, model.NextSequence(IdempotentProducer, partition, keys.Count), transactional: false, keys)
            : TxnBatches.Keys(-1, -1, -1, transactional: false, keys);
        long baseOffset = await ProduceAsync(client, partition, batch, null);
        model.AppendPlain(partition, keys, baseOffset);
    }

    private static async Task EndTransactionAsync(KafkaTestClient client, Model model, Random random)
    {
        long producerId = TransactionalProducers[random.Next(TransactionalProducers.Length)];
        var partitions = model.PartitionsOf(producerId);
        if (random.Next(4) == 0)
        {
            partitions.Add(random.Next(Partitions)); // a marker where the producer has no transaction: written, changes nothing else
        }
        if (partitions.Count == 0)
        {
            return;
        }
        bool commit = random.Next(2) == 0;
        var response = await client.SendAsync<WriteTxnMarkersResponse>(TxnBroker.Markers(producerId, 0, commit, Topic, [.. partitions]), 1);
        foreach (var result in response.Markers[0].Topics[0].Partitions)
        {
            Assert.Equal(0, result.ErrorCode);
        }
        foreach (int partition in partitions)
        {
            model.EndTransaction(producerId, partition, commit);
        }
    }

    private static async Task<long> ProduceAsync(KafkaTestClient client, int partition, byte[] batch, string? transactionalId)
    {
        var response = await client.SendAsync<ProduceResponse>(TxnBroker.Produce(Topic, partition, batch, transactionalId), 9);
        var answer = response.Responses[0].PartitionResponses[0];
        Assert.Equal(0, answer.ErrorCode);
        return answer.BaseOffset;
    }

    private static async Task CheckAsync(KafkaTestClient client, Model model, Random random, string where)
    {
        for (int partition = 0; partition < Partitions; partition++)
        {
            PartitionModel expected = model.Partition(partition);
            long lastStable = expected.LastStableOffset;
            var committedLatest = await client.SendAsync<ListOffsetsResponse>(TxnBroker.Latest(Topic, partition, readCommitted: true), 8);
            var uncommittedLatest = await client.SendAsync<ListOffsetsResponse>(TxnBroker.Latest(Topic, partition, readCommitted: false), 8);
            Assert.True(lastStable == committedLatest.Topics[0].Partitions[0].Offset, $"{where}: partition {partition} LSO {committedLatest.Topics[0].Partitions[0].Offset}, model {lastStable}");
            Assert.Equal(expected.EndOffset, uncommittedLatest.Topics[0].Partitions[0].Offset);

            // Consume like a read_committed client: fetch after fetch up to the last stable offset.
            var keys = new List<string>();
            long offset = 0;
            while (offset < lastStable)
            {
                var fetched = (await client.SendAsync<FetchResponse>(TxnBroker.Fetch(Topic, partition, offset, readCommitted: true), 12)).Responses[0].Partitions[0];
                Assert.Equal(lastStable, fetched.LastStableOffset);
                long upper = EndOfBatches(fetched);
                Assert.True(upper > offset, $"{where}: partition {partition} fetch at {offset} returned nothing below the LSO {lastStable}");
                Assert.True(expected.AbortedOverlapping(offset, upper).SequenceEqual(Sorted(fetched.AbortedTransactions)), $"{where}: partition {partition} aborted list of [{offset}, {upper})");
                keys.AddRange(ConsumeReadCommitted(fetched));
                offset = upper;
            }
            Assert.True(expected.VisibleKeys().SequenceEqual(keys), $"{where}: partition {partition} read_committed records differ from the model");

            if (lastStable > 0)
            {
                long from = random.NextInt64(lastStable);
                var part = (await client.SendAsync<FetchResponse>(TxnBroker.Fetch(Topic, partition, from, readCommitted: true), 12)).Responses[0].Partitions[0];
                Assert.Equal(expected.AbortedOverlapping(from, EndOfBatches(part)), Sorted(part.AbortedTransactions));
            }
        }
    }

    private static long EndOfBatches(FetchResponse.PartitionData partition)
    {
        long end = -1;
        ReadOnlySpan<byte> bytes = partition.Records is { } memory ? memory.Span : default;
        while (RecordBatch.TryRead(bytes, out RecordBatch batch) == RecordBatchError.None)
        {
            end = batch.Header.LastOffset + 1;
            bytes = bytes[batch.Bytes.Length..];
        }
        return end;
    }

    private static List<(long, long)> Sorted(List<FetchResponse.AbortedTransaction>? aborted) =>
        [.. (aborted ?? []).Select(a => (a.ProducerId, a.FirstOffset)).Order()];

    /// <summary>What a read_committed consumer keeps: Kafka's client algorithm over the batches and the aborted list.</summary>
    private static List<string> ConsumeReadCommitted(FetchResponse.PartitionData partition)
    {
        var pending = new PriorityQueue<long, long>();
        foreach (var aborted in partition.AbortedTransactions ?? [])
        {
            pending.Enqueue(aborted.ProducerId, aborted.FirstOffset);
        }
        var abortedProducers = new HashSet<long>();
        var keys = new List<string>();
        ReadOnlySpan<byte> bytes = partition.Records is { } memory ? memory.Span : default;
        while (RecordBatch.TryRead(bytes, out RecordBatch batch) == RecordBatchError.None)
        {
            RecordBatchHeader header = batch.Header;
            ReadOnlySpan<byte> batchBytes = batch.Bytes;
            bytes = bytes[batchBytes.Length..];
            if (header.ProducerId >= 0)
            {
                while (pending.TryPeek(out long producerId, out long first) && first <= header.LastOffset)
                {
                    pending.Dequeue();
                    abortedProducers.Add(producerId);
                }
            }
            if (header.IsControl)
            {
                if (OpenTransactions.TryReadMarkerType(batchBytes, out ControlRecordType type) && type == ControlRecordType.Abort)
                {
                    abortedProducers.Remove(header.ProducerId);
                }
                continue;
            }
            if (header.IsTransactional && abortedProducers.Contains(header.ProducerId))
            {
                continue;
            }
            foreach (Brook.Protocol.Records.Record record in batch.GetRecords())
            {
                keys.Add(Encoding.ASCII.GetString(record.Key));
            }
        }
        return keys;
    }

    private sealed class Model
    {
        private readonly PartitionModel[] _partitions = [.. Enumerable.Range(0, Partitions).Select(_ => new PartitionModel())];
        private readonly Dictionary<(long, int), int> _sequences = [];
        private int _keys;

        public PartitionModel Partition(int index) => _partitions[index];

        public List<string> NewKeys(string prefix, int count) => [.. Enumerable.Range(0, count).Select(_ => $"{prefix}-{_keys++}")];

        public int NextSequence(long producerId, int partition, int records)
        {
            int sequence = _sequences.GetValueOrDefault((producerId, partition));
            _sequences[(producerId, partition)] = sequence + records;
            return sequence;
        }

        public HashSet<int> PartitionsOf(long producerId) =>
            [.. Enumerable.Range(0, Partitions).Where(p => _partitions[p].Open.ContainsKey(producerId))];

        public void AppendTransactional(long producerId, int partition, List<string> keys, long baseOffset)
        {
            PartitionModel model = _partitions[partition];
            Assert.Equal(model.EndOffset, baseOffset);
            if (!model.Open.TryGetValue(producerId, out OpenTransaction? open))
            {
                open = new OpenTransaction(baseOffset);
                model.Open[producerId] = open;
            }
            for (int i = 0; i < keys.Count; i++)
            {
                model.Entries.Add(new Entry(baseOffset + i, keys[i], open));
            }
            model.EndOffset += keys.Count;
        }

        public void AppendPlain(int partition, List<string> keys, long baseOffset)
        {
            PartitionModel model = _partitions[partition];
            Assert.Equal(model.EndOffset, baseOffset);
            for (int i = 0; i < keys.Count; i++)
            {
                model.Entries.Add(new Entry(baseOffset + i, keys[i], null));
            }
            model.EndOffset += keys.Count;
        }

        public void EndTransaction(long producerId, int partition, bool commit)
        {
            PartitionModel model = _partitions[partition];
            long marker = model.EndOffset++;
            if (model.Open.Remove(producerId, out OpenTransaction? open))
            {
                open.Committed = commit;
                if (!commit)
                {
                    model.Aborted.Add((producerId, open.FirstOffset, marker));
                }
            }
        }
    }

    private sealed class PartitionModel
    {
        public long EndOffset { get; set; }

        public List<Entry> Entries { get; } = [];

        public Dictionary<long, OpenTransaction> Open { get; } = [];

        public List<(long ProducerId, long FirstOffset, long MarkerOffset)> Aborted { get; } = [];

        public long LastStableOffset => Open.Count == 0 ? EndOffset : Math.Min(EndOffset, Open.Values.Min(t => t.FirstOffset));

        public List<(long, long)> AbortedOverlapping(long from, long upper) =>
            [.. Aborted.Where(a => a.MarkerOffset >= from && a.FirstOffset < upper).Select(a => (a.ProducerId, a.FirstOffset)).Order()];

        /// <summary>Plain records and committed transactional ones below the last stable offset, in log order.</summary>
        public IEnumerable<string> VisibleKeys()
        {
            long lastStable = LastStableOffset;
            return Entries.Where(e => e.Offset < lastStable && (e.Transaction is null || e.Transaction.Committed == true)).Select(e => e.Key);
        }
    }

    private sealed class OpenTransaction(long firstOffset)
    {
        public long FirstOffset { get; } = firstOffset;

        public bool? Committed { get; set; }
    }

    private sealed record Entry(long Offset, string Key, OpenTransaction? Transaction);
}
