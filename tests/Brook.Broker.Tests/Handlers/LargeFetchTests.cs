using System.Buffers;
using System.Text;
using Brook.Protocol.Messages;
using Brook.Protocol.Records;

namespace Brook.Broker.Tests.Handlers;

/// <summary>
/// Fetches whose records the connection streams from the segment files: a response of many
/// partitions and megabytes carries exactly the stored batches, and the request's limits
/// (max_bytes, partition_max_bytes, the first batch whole) hold.
/// </summary>
public sealed class LargeFetchTests
{
    internal const int RecordsPerBatch = 50;
    private const int ValueSize = 2000;

    [Fact]
    public async Task The_brokers_fetch_max_bytes_caps_a_response_the_client_would_let_be_larger()
    {
        await using var broker = await BrokerUnderTest.StartAsync(o => o.Broker.FetchMaxBytes = 4096);
        using var client = await broker.ConnectAsync();
        await client.CreateTopicAsync("capped", 1);
        for (int i = 0; i < 6; i++)
        {
            var ack = await client.SendAsync<ProduceResponse>(Requests.Produce("capped", 0, Requests.Batch(1, valueSize: 1500)), 9);
            Assert.Equal(0, ack.Responses[0].PartitionResponses[0].ErrorCode);
        }

        // The request allows 50 MiB; the broker's 4 KiB lets two of the ~1.6 KB batches through.
        var fetched = await client.SendAsync<FetchResponse>(Requests.Fetch("capped", 0, 0), 12);
        var single = await client.SendAsync<FetchResponse>(Requests.Fetch("capped", 0, 5), 12);

        var partition = fetched.Responses[0].Partitions[0];
        Assert.InRange(partition.Records!.Value.Length, 1, 4096);
        Assert.Equal([0L, 1L], Requests.RecordsOf(partition).Select(r => r.Offset));
        Assert.Equal(6, partition.HighWatermark);
        Assert.Single(Requests.RecordsOf(single.Responses[0].Partitions[0]));
    }

    [Theory]
    [InlineData(11)] // classic lengths
    [InlineData(12)] // compact lengths
    public async Task A_large_fetch_of_many_partitions_returns_exactly_the_stored_batches(short version)
    {
        await using var broker = await BrokerUnderTest.StartAsync();
        using var client = await broker.ConnectAsync();
        const int partitions = 8;
        const int batchesEach = 5;
        await client.CreateTopicAsync("big", partitions);
        var produced = new List<byte[]>[partitions];
        for (int p = 0; p < partitions; p++)
        {
            produced[p] = [];
            for (int b = 0; b < batchesEach; b++)
            {
                byte[] batch = BatchOf(p, b);
                produced[p].Add(batch);
                var ack = await client.SendAsync<ProduceResponse>(Requests.Produce("big", p, batch), 9);
                Assert.Equal(0, ack.Responses[0].PartitionResponses[0].ErrorCode);
            }
        }

        var response = await client.SendAsync<FetchResponse>(FetchAll("big", partitions, maxBytes: 50 * 1024 * 1024, partitionMaxBytes: 10 * 1024 * 1024), version);

        var results = response.Responses.Single().Partitions;
        Assert.Equal(partitions, results.Count);
        long total = 0;
        foreach (FetchResponse.PartitionData result in results)
        {
            Assert.Equal(0, result.ErrorCode);
            byte[] records = result.Records!.Value.ToArray();
            total += records.Length;
            AssertSameBatches(produced[result.PartitionIndex], records);
            var read = Requests.RecordsOf(result);
            Assert.Equal(batchesEach * RecordsPerBatch, read.Count);
            Assert.Equal(Enumerable.Range(0, batchesEach * RecordsPerBatch).Select(i => (long)i), read.Select(r => r.Offset));
            Assert.All(read, r => Assert.StartsWith($"p{result.PartitionIndex}-", r.Value, StringComparison.Ordinal));
        }
        Assert.True(total > 2 * 1024 * 1024, $"the response should span many write chunks, was {total} bytes");
    }

    [Fact]
    public async Task Max_bytes_and_partition_max_bytes_keep_whole_batches_and_later_partitions_get_what_is_left()
    {
        await using var broker = await BrokerUnderTest.StartAsync();
        using var client = await broker.ConnectAsync();
        await client.CreateTopicAsync("limits", 3);
        int size = 0;
        for (int p = 0; p < 3; p++)
        {
            for (int b = 0; b < 4; b++)
            {
                byte[] batch = BatchOf(p, b);
                size = batch.Length;
                await client.SendAsync<ProduceResponse>(Requests.Produce("limits", p, batch), 9);
            }
        }

        // Each partition may take 3.5 batches (so 3), the whole response 5.5 (so 3 + 2 + none).
        var response = await client.SendAsync<FetchResponse>(FetchAll("limits", 3, maxBytes: size * 11 / 2, partitionMaxBytes: size * 7 / 2), 12);

        var lengths = response.Responses.Single().Partitions.OrderBy(p => p.PartitionIndex).Select(p => p.Records?.Length ?? 0).ToArray();
        Assert.Equal([size * 3, size * 2, 0], lengths);
    }

    [Fact]
    public async Task The_first_batch_with_data_is_returned_whole_even_above_both_limits_and_nothing_after_it()
    {
        await using var broker = await BrokerUnderTest.StartAsync();
        using var client = await broker.ConnectAsync();
        await client.CreateTopicAsync("first", 3);
        byte[] batch = BatchOf(1, 0);
        await client.SendAsync<ProduceResponse>(Requests.Produce("first", 1, batch), 9);
        await client.SendAsync<ProduceResponse>(Requests.Produce("first", 1, BatchOf(1, 1)), 9);
        await client.SendAsync<ProduceResponse>(Requests.Produce("first", 2, BatchOf(2, 0)), 9);

        // Partition 0 is empty, so partition 1's first batch is the first with data.
        var response = await client.SendAsync<FetchResponse>(FetchAll("first", 3, maxBytes: 100, partitionMaxBytes: 100), 12);

        var results = response.Responses.Single().Partitions.OrderBy(p => p.PartitionIndex).ToArray();
        Assert.Equal(0, results[0].Records?.Length ?? 0);
        AssertSameBatches([batch], results[1].Records!.Value.ToArray());
        Assert.Equal(0, results[2].Records?.Length ?? 0);
    }

    private static FetchRequest FetchAll(string topic, int partitions, int maxBytes, int partitionMaxBytes) => new()
    {
        MaxWaitMs = 0,
        MinBytes = 1,
        MaxBytes = maxBytes,
        IsolationLevel = 0,
        Topics = [new FetchRequest.FetchTopic
        {
            Topic = topic,
            Partitions = [.. Enumerable.Range(0, partitions).Select(p => new FetchRequest.FetchPartition { Partition = p, FetchOffset = 0, PartitionMaxBytes = partitionMaxBytes })],
        }],
    };

    /// <summary>A batch whose values name its partition and position, so a swapped or shifted slice shows.</summary>
    internal static byte[] BatchOf(int partition, int index)
    {
        using var builder = new RecordBatchBuilder(new RecordBatchOptions());
        for (int i = 0; i < RecordsPerBatch; i++)
        {
            string text = $"p{partition}-b{index}-r{i}-";
            byte[] value = new byte[ValueSize];
            for (int at = 0; at < value.Length; at++)
            {
                value[at] = (byte)text[at % text.Length];
            }
            builder.Append(1_700_000_000_000 + i, Encoding.ASCII.GetBytes($"k{i}"), value);
        }
        var output = new ArrayBufferWriter<byte>();
        builder.WriteTo(output);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>The fetched bytes are the produced batches in order; only the broker-assigned base offset and leader epoch (bytes 0-7, 12-15) differ.</summary>
    internal static void AssertSameBatches(List<byte[]> produced, byte[] fetched)
    {
        int at = 0;
        foreach (byte[] batch in produced)
        {
            Assert.True(fetched.Length >= at + batch.Length, $"fetched {fetched.Length} bytes, expected more than {at + batch.Length}");
            Assert.Equal(batch.AsSpan(8, 4).ToArray(), fetched.AsSpan(at + 8, 4).ToArray());
            Assert.True(batch.AsSpan(16).SequenceEqual(fetched.AsSpan(at + 16, batch.Length - 16)), $"batch at {at} differs");
            at += batch.Length;
        }
        Assert.Equal(at, fetched.Length);
    }
}
