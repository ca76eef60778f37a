using Brook.Broker.Tests.Handlers;
using Brook.Protocol.Errors;
using Brook.Protocol.Messages;

namespace Brook.Broker.Tests.Transactions;

/// <summary>The transaction APIs through the real server, at old and at Kafka 3.8's newest versions.</summary>
public sealed class TransactionApiWireTests
{
    private static Task<BrokerUnderTest> StartAsync() => BrokerUnderTest.StartAsync(o =>
    {
        o.Broker.Transactions.StateLogPartitions = 3;
        o.Broker.Groups.OffsetsTopicPartitions = 3;
    });

    private static async Task<InitProducerIdResponse> InitAsync(KafkaTestClient client, string id, short version = 4) =>
        await client.SendAsync<InitProducerIdResponse>(new InitProducerIdRequest { TransactionalId = id, TransactionTimeoutMs = 60_000, ProducerId = -1, ProducerEpoch = -1 }, version);

    private static AddPartitionsToTxnRequest AddV3(string id, InitProducerIdResponse producer, string topic, params int[] partitions) => new()
    {
        V3AndBelowTransactionalId = id,
        V3AndBelowProducerId = producer.ProducerId,
        V3AndBelowProducerEpoch = producer.ProducerEpoch,
        V3AndBelowTopics = [new AddPartitionsToTxnRequest.AddPartitionsToTxnTopic { Name = topic, Partitions = [.. partitions] }],
    };

    [Fact]
    public async Task ApiVersions_advertises_the_transaction_apis_at_kafka_38s_versions()
    {
        await using var broker = await StartAsync();
        using var client = await broker.ConnectAsync();
        var response = await client.SendAsync<ApiVersionsResponse>(new ApiVersionsRequest { ClientSoftwareName = "tests", ClientSoftwareVersion = "1" }, 3);
        var byKey = response.ApiKeys.ToDictionary(k => (ApiKey)k.ApiKey, k => (k.MinVersion, k.MaxVersion));
        Assert.Equal((0, 5), byKey[ApiKey.InitProducerId]);
        Assert.Equal((0, 5), byKey[ApiKey.AddPartitionsToTxn]);
        Assert.Equal((0, 4), byKey[ApiKey.AddOffsetsToTxn]);
        Assert.Equal((0, 4), byKey[ApiKey.EndTxn]);
        Assert.Equal((0, 4), byKey[ApiKey.TxnOffsetCommit]);
        Assert.Equal((0, 0), byKey[ApiKey.DescribeTransactions]);
        Assert.Equal((0, 1), byKey[ApiKey.ListTransactions]);
    }

    [Fact]
    public async Task FindCoordinator_for_a_transactional_id_creates_the_state_topic_and_names_this_node()
    {
        await using var broker = await StartAsync();
        using var client = await broker.ConnectAsync();
        var found = await client.SendAsync<FindCoordinatorResponse>(new FindCoordinatorRequest { KeyType = 1, CoordinatorKeys = ["tx-a"] }, 4);
        Assert.Equal(0, found.Coordinators[0].ErrorCode);
        Assert.Equal(broker.Server.KafkaEndPoint.Port, found.Coordinators[0].Port);
        var metadata = await client.SendAsync<MetadataResponse>(new MetadataRequest { Topics = [new MetadataRequest.MetadataRequestTopic { Name = "__transaction_state" }], AllowAutoTopicCreation = false }, 12);
        Assert.Equal(0, metadata.Topics[0].ErrorCode);
        Assert.True(metadata.Topics[0].IsInternal);
        Assert.Equal(3, metadata.Topics[0].Partitions.Count);
        var empty = await client.SendAsync<FindCoordinatorResponse>(new FindCoordinatorRequest { KeyType = 1, Key = "" }, 3);
        Assert.Equal((short)ErrorCode.InvalidRequest, empty.ErrorCode);
    }

    [Fact]
    public async Task A_transaction_runs_over_the_wire_and_is_described_and_listed()
    {
        await using var broker = await StartAsync();
        using var client = await broker.ConnectAsync();
        await client.CreateTopicAsync("t", 2);
        var producer = await InitAsync(client, "tx-a");
        Assert.Equal(0, producer.ErrorCode);

        var added = await client.SendAsync<AddPartitionsToTxnResponse>(AddV3("tx-a", producer, "t", 0, 1), 3);
        Assert.All(added.ResultsByTopicV3AndBelow[0].ResultsByPartition, r => Assert.Equal(0, r.PartitionErrorCode));

        var described = await client.SendAsync<DescribeTransactionsResponse>(new DescribeTransactionsRequest { TransactionalIds = ["tx-a", "nobody"] }, 0);
        Assert.Equal("Ongoing", described.TransactionStates[0].TransactionState);
        Assert.Equal([0, 1], described.TransactionStates[0].Topics[0].Partitions);
        Assert.Equal((short)ErrorCode.TransactionalIdNotFound, described.TransactionStates[1].ErrorCode);
        var listed = await client.SendAsync<ListTransactionsResponse>(new ListTransactionsRequest { StateFilters = ["Ongoing", "Bogus"], DurationFilter = -1 }, 1);
        Assert.Equal(["tx-a"], listed.TransactionStates.Select(s => s.TransactionalId));
        Assert.Equal(["Bogus"], listed.UnknownStateFilters);

        var ended = await client.SendAsync<EndTxnResponse>(new EndTxnRequest { TransactionalId = "tx-a", ProducerId = producer.ProducerId, ProducerEpoch = producer.ProducerEpoch, Committed = true }, 3);
        Assert.Equal(0, ended.ErrorCode);
    }

    [Fact]
    public async Task Unknown_partitions_fail_the_request_with_OPERATION_NOT_ATTEMPTED_for_the_others()
    {
        await using var broker = await StartAsync();
        using var client = await broker.ConnectAsync();
        await client.CreateTopicAsync("t", 1);
        var producer = await InitAsync(client, "tx-a");
        var added = await client.SendAsync<AddPartitionsToTxnResponse>(AddV3("tx-a", producer, "t", 0, 5), 3);
        var results = added.ResultsByTopicV3AndBelow[0].ResultsByPartition.ToDictionary(r => r.PartitionIndex, r => r.PartitionErrorCode);
        Assert.Equal((short)ErrorCode.OperationNotAttempted, results[0]);
        Assert.Equal((short)ErrorCode.UnknownTopicOrPartition, results[5]);
    }

    [Fact]
    public async Task Batched_verify_only_reports_which_partitions_are_in_the_transaction()
    {
        await using var broker = await StartAsync();
        using var client = await broker.ConnectAsync();
        await client.CreateTopicAsync("t", 2);
        var producer = await InitAsync(client, "tx-a");
        await client.SendAsync<AddPartitionsToTxnResponse>(AddV3("tx-a", producer, "t", 0), 3);

        var verified = await client.SendAsync<AddPartitionsToTxnResponse>(new AddPartitionsToTxnRequest
        {
            Transactions =
            [
                new AddPartitionsToTxnRequest.AddPartitionsToTxnTransaction
                {
                    TransactionalId = "tx-a", ProducerId = producer.ProducerId, ProducerEpoch = producer.ProducerEpoch, VerifyOnly = true,
                    Topics = [new AddPartitionsToTxnRequest.AddPartitionsToTxnTopic { Name = "t", Partitions = [0, 1] }],
                },
            ],
        }, 5);

        var results = verified.ResultsByTransaction[0].TopicResults[0].ResultsByPartition.ToDictionary(r => r.PartitionIndex, r => r.PartitionErrorCode);
        Assert.Equal(0, results[0]);
        Assert.Equal((short)ErrorCode.InvalidTxnState, results[1]);
        Assert.Equal("Ongoing", (await client.SendAsync<DescribeTransactionsResponse>(new DescribeTransactionsRequest { TransactionalIds = ["tx-a"] }, 0)).TransactionStates[0].TransactionState);
    }

    [Fact]
    public async Task Old_versions_get_INVALID_PRODUCER_EPOCH_where_new_ones_get_PRODUCER_FENCED()
    {
        await using var broker = await StartAsync();
        using var client = await broker.ConnectAsync();
        await client.CreateTopicAsync("t", 1);
        var old = await InitAsync(client, "tx-a");
        await InitAsync(client, "tx-a");

        var v1 = await client.SendAsync<AddPartitionsToTxnResponse>(AddV3("tx-a", old, "t", 0), 1);
        var v2 = await client.SendAsync<AddPartitionsToTxnResponse>(AddV3("tx-a", old, "t", 0), 2);
        var endV1 = await client.SendAsync<EndTxnResponse>(new EndTxnRequest { TransactionalId = "tx-a", ProducerId = old.ProducerId, ProducerEpoch = old.ProducerEpoch, Committed = true }, 1);
        var endV3 = await client.SendAsync<EndTxnResponse>(new EndTxnRequest { TransactionalId = "tx-a", ProducerId = old.ProducerId, ProducerEpoch = old.ProducerEpoch, Committed = true }, 3);

        Assert.Equal((short)ErrorCode.InvalidProducerEpoch, v1.ResultsByTopicV3AndBelow[0].ResultsByPartition[0].PartitionErrorCode);
        Assert.Equal((short)ErrorCode.ProducerFenced, v2.ResultsByTopicV3AndBelow[0].ResultsByPartition[0].PartitionErrorCode);
        Assert.Equal((short)ErrorCode.InvalidProducerEpoch, endV1.ErrorCode);
        Assert.Equal((short)ErrorCode.ProducerFenced, endV3.ErrorCode);
    }

    [Fact]
    public async Task OffsetFetch_with_require_stable_reports_pending_transactional_offsets_as_UNSTABLE_OFFSET_COMMIT()
    {
        await using var broker = await StartAsync();
        using var client = await broker.ConnectAsync();
        await client.CreateTopicAsync("t", 2);
        var producer = await InitAsync(client, "tx-a");
        var addOffsets = await client.SendAsync<AddOffsetsToTxnResponse>(new AddOffsetsToTxnRequest { TransactionalId = "tx-a", ProducerId = producer.ProducerId, ProducerEpoch = producer.ProducerEpoch, GroupId = "g" }, 3);
        Assert.Equal(0, addOffsets.ErrorCode);
        var committed = await client.SendAsync<TxnOffsetCommitResponse>(new TxnOffsetCommitRequest
        {
            TransactionalId = "tx-a", GroupId = "g", ProducerId = producer.ProducerId, ProducerEpoch = producer.ProducerEpoch, GenerationId = -1, MemberId = "",
            Topics = [new TxnOffsetCommitRequest.TxnOffsetCommitRequestTopic { Name = "t", Partitions = [new TxnOffsetCommitRequest.TxnOffsetCommitRequestPartition { PartitionIndex = 0, CommittedOffset = 5 }] }],
        }, 3);
        Assert.Equal(0, committed.Topics[0].Partitions[0].ErrorCode);

        OffsetFetchRequest Fetch(bool stable) => new() { GroupId = "g", RequireStable = stable, Topics = [new OffsetFetchRequest.OffsetFetchRequestTopic { Name = "t", PartitionIndexes = [0, 1] }] };
        var stable = await client.SendAsync<OffsetFetchResponse>(Fetch(true), 7);
        var unstable = await client.SendAsync<OffsetFetchResponse>(Fetch(false), 7);

        Assert.Equal((short)ErrorCode.UnstableOffsetCommit, stable.Topics[0].Partitions[0].ErrorCode);
        Assert.Equal(0, stable.Topics[0].Partitions[1].ErrorCode);
        Assert.Equal(-1, unstable.Topics[0].Partitions[0].CommittedOffset);
        var ended = await client.SendAsync<EndTxnResponse>(new EndTxnRequest { TransactionalId = "tx-a", ProducerId = producer.ProducerId, ProducerEpoch = producer.ProducerEpoch, Committed = true }, 3);
        Assert.Equal(0, ended.ErrorCode);
        await Support.Eventually.True(() => client.SendAsync<OffsetFetchResponse>(Fetch(true), 7).Result.Topics[0].Partitions[0].CommittedOffset == 5, "the committed offset is stable");
    }
}
