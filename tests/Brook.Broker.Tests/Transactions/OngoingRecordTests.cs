using Brook.Broker.Partitions;
using Brook.Broker.Tests.Support;
using Brook.Broker.Transactions;
using Brook.Protocol.Errors;
using Brook.Protocol.Messages;
using Brook.Tests.Shared;

namespace Brook.Broker.Tests.Transactions;

/// <summary>
/// An Ongoing record takes effect when appended; the transaction's data is acknowledged only once
/// the record is committed, and data a crash left without its record is aborted at start-up.
/// </summary>
public sealed class OngoingRecordTests
{
    private const string Topic = TransactionsUnderTest.Topic;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AddPartitions_is_answered_while_its_record_is_being_fsynced_and_the_wait_for_it_ends_with_the_fsync()
    {
        await using var test = await TransactionsUnderTest.StartAsync();
        var producer = await test.InitAsync("tx-a");
        PartitionLeader state = (await test.Coordinator.StatePartitionAsync("tx-a", CancellationToken.None))!;

        Task<ErrorCode> recorded;
        using (new HeldLock(state.Log.FlushLock))
        {
            Assert.Equal(ErrorCode.None, await test.AddAsync("tx-a", producer, 0).WaitAsync(Deadline));

            Assert.Equal(TransactionState.Ongoing, test.StateOf("tx-a"));
            Assert.Equal(ErrorCode.None, test.Coordinator.VerifyPartitionInTransaction("tx-a", producer.ProducerId, producer.Epoch, Topic, 0));
            Assert.True(state.HighWatermark < state.Log.LogEndOffset, "the Ongoing record is not committed yet");
            recorded = test.Coordinator.WaitUntilTransactionRecordedAsync("tx-a", CancellationToken.None).AsTask();
            Assert.False(recorded.IsCompleted);
        }

        Assert.Equal(ErrorCode.None, await recorded.WaitAsync(Deadline));
        Assert.Equal(state.Log.LogEndOffset, state.HighWatermark);
        Assert.Equal(ErrorCode.None, await test.Coordinator.WaitUntilTransactionRecordedAsync("tx-a", CancellationToken.None));
    }

    [Fact]
    public async Task The_next_transaction_starts_before_the_previous_Complete_record_is_committed_but_its_data_waits_for_that()
    {
        await using var test = await TransactionsUnderTest.StartAsync();
        var producer = await test.InitAsync("tx-a");
        Assert.Equal(ErrorCode.None, await test.AddAsync("tx-a", producer, 0));
        PartitionLeader state = (await test.Coordinator.StatePartitionAsync("tx-a", CancellationToken.None))!;
        PartitionLeader data = test.Broker.FindPartition(Topic, 0)!;

        // The marker waits on the data partition's fsync, so the Complete record is not appended before the state log is held too.
        using var markerFsync = new HeldLock(data.Log.FlushLock);
        Assert.Equal(ErrorCode.None, await test.Coordinator.EndTransactionAsync("tx-a", producer.ProducerId, producer.Epoch, commit: true, CancellationToken.None).WaitAsync(Deadline));
        using var stateFsync = new HeldLock(state.Log.FlushLock);
        Task<ErrorCode> added = test.AddAsync("tx-a", producer, 1);
        markerFsync.Dispose();

        Assert.Equal(ErrorCode.None, await added.WaitAsync(Deadline));
        Assert.Equal(TransactionState.Ongoing, test.StateOf("tx-a"));
        Task<ErrorCode> appendable = test.Coordinator.WaitUntilPreviousTransactionCommittedAsync("tx-a", CancellationToken.None).AsTask();
        Assert.False(appendable.IsCompleted);
        stateFsync.Dispose();
        Assert.Equal(ErrorCode.None, await appendable.WaitAsync(Deadline));
    }

    [Fact]
    public async Task Transactional_data_is_acknowledged_only_once_the_record_that_added_its_partition_is_committed()
    {
        await using var broker = await TxnBroker.StartAsync(coordinatorVerifies: true);
        using var client = await broker.ConnectAsync();
        await client.CreateTopicAsync("t");
        var producer = await client.SendAsync<InitProducerIdResponse>(
            new InitProducerIdRequest { TransactionalId = "tx-a", TransactionTimeoutMs = 60_000, ProducerId = -1, ProducerEpoch = -1 }, 4);
        PartitionLeader state = (await broker.Broker.Transactions.StatePartitionAsync("tx-a", CancellationToken.None))!;
        PartitionLeader data = broker.Broker.FindPartition("t", 0)!;

        Task<ProduceResponse> produced;
        using (new HeldLock(state.Log.FlushLock))
        {
            var added = await client.SendAsync<AddPartitionsToTxnResponse>(new AddPartitionsToTxnRequest
            {
                V3AndBelowTransactionalId = "tx-a",
                V3AndBelowProducerId = producer.ProducerId,
                V3AndBelowProducerEpoch = producer.ProducerEpoch,
                V3AndBelowTopics = [new AddPartitionsToTxnRequest.AddPartitionsToTxnTopic { Name = "t", Partitions = [0] }],
            }, 3).WaitAsync(Deadline);
            Assert.Equal(0, added.ResultsByTopicV3AndBelow[0].ResultsByPartition[0].PartitionErrorCode);

            produced = client.SendAsync<ProduceResponse>(TxnBroker.Produce("t", 0, TxnBatches.Data(producer.ProducerId, producer.ProducerEpoch, 0), "tx-a"), 9);
            // The data itself becomes durable; its acknowledgement still waits for the coordinator's record.
            await Eventually.True(() => data.HighWatermark == 1, () => $"data committed (high watermark {data.HighWatermark})");
            Assert.False(produced.IsCompleted);
        }

        ProduceResponse response = await produced.WaitAsync(Deadline);
        Assert.Equal(0, response.Responses[0].PartitionResponses[0].ErrorCode);
        Assert.Equal(0, response.Responses[0].PartitionResponses[0].BaseOffset);
    }

    [Fact]
    public async Task Data_of_a_transaction_the_coordinator_never_recorded_is_aborted_at_start_up_and_known_transactions_stay_open()
    {
        await using var test = await TransactionsUnderTest.StartAsync();
        var unrecorded = await test.InitAsync("tx-a");
        var known = await test.InitAsync("tx-b");
        Assert.Equal(ErrorCode.None, await test.AddAsync("tx-b", known, 2));
        // What a crash can leave: tx-a's data reached the disk, the record adding its partition did not.
        await AppendCommittedAsync(test.Broker.FindPartition(Topic, 1)!, TxnBatches.Data(unrecorded.ProducerId, unrecorded.Epoch, 0, records: 3));
        await AppendCommittedAsync(test.Broker.FindPartition(Topic, 2)!, TxnBatches.Data(known.ProducerId, known.Epoch, 0));

        await test.RestartAsync();

        PartitionLeader hanging = test.Broker.FindPartition(Topic, 1)!;
        await Eventually.True(() => hanging.LastStableOffset == hanging.HighWatermark && hanging.HighWatermark == 4,
            () => $"the hanging transaction is aborted (LSO {hanging.LastStableOffset}, high watermark {hanging.HighWatermark})");
        Assert.Equal([(unrecorded.ProducerId, unrecorded.Epoch, false)], test.MarkersOn(Topic, 1));
        PartitionLeader open = test.Broker.FindPartition(Topic, 2)!;
        Assert.Empty(test.MarkersOn(Topic, 2));
        Assert.Equal(0, open.LastStableOffset);
        Assert.Equal(ErrorCode.None, await test.Coordinator.EndTransactionAsync("tx-b", known.ProducerId, known.Epoch, commit: true, CancellationToken.None));
        await test.StateBecomes("tx-b", TransactionState.CompleteCommit);
        Assert.Equal([(known.ProducerId, known.Epoch, true)], test.MarkersOn(Topic, 2));
    }

    private static async Task AppendCommittedAsync(PartitionLeader partition, byte[] batch)
    {
        AppendOutcome outcome = partition.Append(batch);
        Assert.Equal(ErrorCode.None, outcome.Error);
        Assert.Equal(ErrorCode.None, await partition.WaitUntilCommittedAsync(outcome.EndOffset, CancellationToken.None));
    }
}
