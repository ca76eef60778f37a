using Brook.Broker.Tests.Handlers;
using Brook.Broker.Transactions;
using Brook.Protocol.Errors;
using Brook.Protocol.Messages;

namespace Brook.Broker.Tests.Transactions;

public sealed class ReadCommittedFetchTests
{
    [Fact]
    public async Task Read_committed_stops_at_the_last_stable_offset_while_read_uncommitted_reads_to_the_high_watermark()
    {
        await using var broker = await TxnBroker.StartAsync();
        using var client = await broker.ConnectAsync();
        await client.CreateTopicAsync("t");
        await ProduceAsync(client, TxnBatches.Data(1, 0, 0, records: 2, transactional: false), transactionalId: null); // 0-1
        await ProduceAsync(client, TxnBatches.Data(7, 0, 0, records: 3));                                          // 2-4

        var committed = (await client.SendAsync<FetchResponse>(TxnBroker.Fetch("t", 0, 0, readCommitted: true), 12)).Responses[0].Partitions[0];
        var uncommitted = (await client.SendAsync<FetchResponse>(TxnBroker.Fetch("t", 0, 0, readCommitted: false), 12)).Responses[0].Partitions[0];

        Assert.Equal((5L, 2L), (committed.HighWatermark, committed.LastStableOffset));
        Assert.Equal([0L, 1L], Requests.RecordsOf(committed).Select(r => r.Offset));
        Assert.Equal(2L, uncommitted.LastStableOffset);
        Assert.Equal(5, Requests.RecordsOf(uncommitted).Count);
        Assert.Equal(2, await LatestAsync(client, readCommitted: true));
        Assert.Equal(5, await LatestAsync(client, readCommitted: false));
    }

    [Fact]
    public async Task An_aborted_transaction_is_listed_and_a_committed_one_becomes_readable()
    {
        await using var broker = await TxnBroker.StartAsync();
        using var client = await broker.ConnectAsync();
        await client.CreateTopicAsync("t");
        await ProduceAsync(client, TxnBatches.Data(7, 0, 0, records: 2));   // 0-1
        await ProduceAsync(client, TxnBatches.Data(8, 0, 0, records: 1));   // 2
        Assert.Equal(0, await MarkersAsync(client, 7, commit: false));     // 3
        Assert.Equal(0, await MarkersAsync(client, 8, commit: true));      // 4

        var partition = (await client.SendAsync<FetchResponse>(TxnBroker.Fetch("t", 0, 0, readCommitted: true), 12)).Responses[0].Partitions[0];

        Assert.Equal(5L, partition.LastStableOffset);
        var aborted = Assert.Single(partition.AbortedTransactions!);
        Assert.Equal((7L, 0L), (aborted.ProducerId, aborted.FirstOffset));
        // The data and both markers come back; the consumer drops the aborted records using the list.
        Assert.Equal([0L, 1L, 2L, 3L, 4L], Requests.RecordsOf(partition).Select(r => r.Offset));
        Assert.Equal(5, await LatestAsync(client, readCommitted: true));
    }

    [Fact]
    public async Task A_read_committed_long_poll_wakes_when_a_commit_marker_moves_the_last_stable_offset()
    {
        await using var broker = await TxnBroker.StartAsync();
        using var client = await broker.ConnectAsync();
        using var marker = await broker.ConnectAsync();
        await client.CreateTopicAsync("t");
        await ProduceAsync(client, TxnBatches.Data(7, 0, 0, records: 2)); // 0-1

        Task<FetchResponse> poll = client.SendAsync<FetchResponse>(TxnBroker.Fetch("t", 0, 0, readCommitted: true, maxWaitMs: 30_000), 12);
        Assert.Equal(0, await MarkersAsync(marker, 7, commit: true));
        var partition = (await poll.WaitAsync(TimeSpan.FromSeconds(20))).Responses[0].Partitions[0];

        Assert.Equal(3L, partition.LastStableOffset);
        Assert.Equal([0L, 1L, 2L], Requests.RecordsOf(partition).Select(r => r.Offset));
    }

    [Fact]
    public async Task WriteTxnMarkers_answers_per_partition_errors()
    {
        await using var broker = await TxnBroker.StartAsync();
        using var client = await broker.ConnectAsync();
        await client.CreateTopicAsync("t");
        await ProduceAsync(client, TxnBatches.Data(7, 2, 0));

        var response = await client.SendAsync<WriteTxnMarkersResponse>(new WriteTxnMarkersRequest
        {
            Markers =
            [
                new() { ProducerId = 7, ProducerEpoch = 1, TransactionResult = true, Topics = [new() { Name = "t", PartitionIndexes = [0] }] },
                new() { ProducerId = 7, ProducerEpoch = 2, TransactionResult = true, Topics = [new() { Name = "t", PartitionIndexes = [0, 5] }, new() { Name = "missing", PartitionIndexes = [0] }] },
            ],
        }, 1);

        Assert.Equal((short)ErrorCode.InvalidProducerEpoch, response.Markers[0].Topics[0].Partitions[0].ErrorCode);
        Assert.Equal([(short)0, (short)ErrorCode.UnknownTopicOrPartition], response.Markers[1].Topics[0].Partitions.Select(p => p.ErrorCode));
        Assert.Equal((short)ErrorCode.UnknownTopicOrPartition, response.Markers[1].Topics[1].Partitions[0].ErrorCode);
        Assert.Equal(2, await LatestAsync(client, readCommitted: true));
    }

    [Fact]
    public async Task A_marker_committed_on_consumer_offsets_is_passed_to_the_listener()
    {
        await using var broker = await TxnBroker.StartAsync();
        var listener = new RecordingListener();
        broker.Broker.TransactionMarkerListener = listener;
        using var client = await broker.ConnectAsync();
        await client.CreateTopicAsync("t");

        Assert.Equal(0, await MarkersAsync(client, 7, commit: true)); // not an offsets partition: nobody is told
        await client.SendAsync<FindCoordinatorResponse>(new FindCoordinatorRequest { Key = "g", KeyType = 0 }, 1);
        await Support.Eventually.True(() => broker.Broker.TryGetTopic("__consumer_offsets", out _), "__consumer_offsets exists");
        Assert.Equal(ErrorCode.None, await broker.Broker.TransactionMarkers.WriteAsync("__consumer_offsets", 0, 9, 0, 0, commit: false, CancellationToken.None));

        Assert.Equal([("__consumer_offsets", 0, 9L, false)], listener.Calls);
    }

    [Fact]
    public async Task Only_the_first_transactional_batch_per_partition_is_verified_and_a_refusal_is_returned()
    {
        await using var broker = await TxnBroker.StartAsync();
        var verifier = new RecordingVerifier();
        broker.Broker.TransactionVerifier = verifier;
        using var client = await broker.ConnectAsync();
        await client.CreateTopicAsync("t");

        await ProduceAsync(client, TxnBatches.Data(7, 0, 0));
        await ProduceAsync(client, TxnBatches.Data(7, 0, 1));
        Assert.Equal(0, await MarkersAsync(client, 7, commit: true));
        await ProduceAsync(client, TxnBatches.Data(7, 0, 2));
        verifier.Answer = ErrorCode.InvalidTxnState;
        var refused = await client.SendAsync<ProduceResponse>(TxnBroker.Produce("t", 0, TxnBatches.Data(8, 0, 0), "other"), 9);

        Assert.Equal([("tx", 7L), ("tx", 7L), ("other", 8L)], verifier.Calls);
        Assert.Equal((short)ErrorCode.InvalidTxnState, refused.Responses[0].PartitionResponses[0].ErrorCode);
    }

    [Fact]
    public async Task Transactional_batches_need_a_transactional_id_and_a_producer_id()
    {
        await using var broker = await TxnBroker.StartAsync();
        using var client = await broker.ConnectAsync();
        await client.CreateTopicAsync("t");

        var noId = await client.SendAsync<ProduceResponse>(TxnBroker.Produce("t", 0, TxnBatches.Data(7, 0, 0), transactionalId: null), 9);
        var noProducer = await client.SendAsync<ProduceResponse>(TxnBroker.Produce("t", 0, TxnBatches.Data(-1, -1, -1)), 9);

        Assert.Equal((short)ErrorCode.TransactionalIdAuthorizationFailed, noId.Responses[0].PartitionResponses[0].ErrorCode);
        Assert.Equal((short)ErrorCode.InvalidRecord, noProducer.Responses[0].PartitionResponses[0].ErrorCode);
    }

    [Fact]
    public async Task DescribeProducers_shows_the_start_of_an_open_transaction()
    {
        await using var broker = await TxnBroker.StartAsync();
        using var client = await broker.ConnectAsync();
        await client.CreateTopicAsync("t");
        await ProduceAsync(client, TxnBatches.Data(1, 0, 0, transactional: false), transactionalId: null); // 0
        await ProduceAsync(client, TxnBatches.Data(7, 0, 0, records: 2));                              // 1-2

        var response = await client.SendAsync<DescribeProducersResponse>(new DescribeProducersRequest { Topics = [new() { Name = "t", PartitionIndexes = [0] }] }, 0);
        var producers = response.Topics[0].Partitions[0].ActiveProducers.ToDictionary(p => p.ProducerId);

        Assert.Equal(-1, producers[1].CurrentTxnStartOffset);
        Assert.Equal(1, producers[7].CurrentTxnStartOffset);
        Assert.Equal(1, producers[7].LastSequence);
    }

    [Fact]
    public async Task A_restart_with_an_open_transaction_keeps_the_last_stable_offset_pinned()
    {
        await using var broker = await TxnBroker.StartAsync();
        using (var client = await broker.ConnectAsync())
        {
            await client.CreateTopicAsync("t");
            await ProduceAsync(client, TxnBatches.Data(1, 0, 0, transactional: false), transactionalId: null); // 0
            await ProduceAsync(client, TxnBatches.Data(7, 0, 0));                                          // 1
            await ProduceAsync(client, TxnBatches.Data(8, 0, 0));                                          // 2
            Assert.Equal(0, await MarkersAsync(client, 8, commit: false));                                 // 3
        }

        await broker.RestartAsync();

        using var after = await broker.ConnectAsync();
        Assert.Equal(1, await LatestAsync(after, readCommitted: true));
        await ProduceAsync(after, TxnBatches.Data(7, 0, 1)); // 4: the same transaction goes on
        Assert.Equal(0, await MarkersAsync(after, 7, commit: true)); // 5
        var partition = (await after.SendAsync<FetchResponse>(TxnBroker.Fetch("t", 0, 0, readCommitted: true), 12)).Responses[0].Partitions[0];
        Assert.Equal(6L, partition.LastStableOffset);
        var aborted = Assert.Single(partition.AbortedTransactions!);
        Assert.Equal((8L, 2L), (aborted.ProducerId, aborted.FirstOffset));
    }

    private static async Task ProduceAsync(KafkaTestClient client, byte[] batch, string? transactionalId = "tx")
    {
        var response = await client.SendAsync<ProduceResponse>(TxnBroker.Produce("t", 0, batch, transactionalId), 9);
        Assert.Equal(0, response.Responses[0].PartitionResponses[0].ErrorCode);
    }

    private static async Task<short> MarkersAsync(KafkaTestClient client, long producerId, bool commit) =>
        (await client.SendAsync<WriteTxnMarkersResponse>(TxnBroker.Markers(producerId, 0, commit, "t", 0), 1)).Markers[0].Topics[0].Partitions[0].ErrorCode;

    private static async Task<long> LatestAsync(KafkaTestClient client, bool readCommitted) =>
        (await client.SendAsync<ListOffsetsResponse>(TxnBroker.Latest("t", 0, readCommitted), 8)).Topics[0].Partitions[0].Offset;

    private sealed class RecordingVerifier : ITransactionVerifier
    {
        public ErrorCode Answer { get; set; }

        public List<(string, long)> Calls { get; } = [];

        public ErrorCode VerifyPartitionInTransaction(string transactionalId, long producerId, short producerEpoch, string topic, int partition)
        {
            lock (Calls)
            {
                Calls.Add((transactionalId, producerId));
            }
            return Answer;
        }

        public ValueTask<ErrorCode> WaitUntilPreviousTransactionCommittedAsync(string transactionalId, CancellationToken cancellationToken) => new(ErrorCode.None);

        public ValueTask<ErrorCode> WaitUntilTransactionRecordedAsync(string transactionalId, CancellationToken cancellationToken) => new(ErrorCode.None);
    }

    private sealed class RecordingListener : ITransactionMarkerListener
    {
        public List<(string, int, long, bool)> Calls { get; } = [];

        public void OnMarkerCommitted(string topic, int partition, long producerId, bool commit)
        {
            lock (Calls)
            {
                Calls.Add((topic, partition, producerId, commit));
            }
        }
    }
}
