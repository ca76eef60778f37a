using Brook.Broker.Tests.Handlers;
using Brook.Protocol.Errors;
using Brook.Protocol.Messages;

namespace Brook.Broker.Tests.Groups;

/// <summary>The group APIs through the real server, at the old versions kafka-python sends and at Kafka 3.8's newest.</summary>
public sealed class GroupApiWireTests
{
    private static Task<BrokerUnderTest> StartAsync() => BrokerUnderTest.StartAsync(o =>
    {
        o.Broker.Groups.InitialRebalanceDelay = TimeSpan.Zero;
        o.Broker.Groups.OffsetsTopicPartitions = 3;
    });

    private static JoinGroupRequest Join(string memberId) => new()
    {
        GroupId = "g",
        SessionTimeoutMs = 10_000,
        RebalanceTimeoutMs = 10_000,
        MemberId = memberId,
        ProtocolType = "consumer",
        Protocols = [new JoinGroupRequest.JoinGroupRequestProtocol { Name = "range", Metadata = CoordinatorUnderTest.Subscription("t") }],
    };

    [Fact]
    public async Task ApiVersions_advertises_the_group_apis_at_kafka_38s_versions()
    {
        await using var broker = await StartAsync();
        using var client = await broker.ConnectAsync();
        var response = await client.SendAsync<ApiVersionsResponse>(new ApiVersionsRequest { ClientSoftwareName = "tests", ClientSoftwareVersion = "1" }, 3);
        var byKey = response.ApiKeys.ToDictionary(k => (ApiKey)k.ApiKey, k => (k.MinVersion, k.MaxVersion));
        Assert.Equal((0, 9), byKey[ApiKey.OffsetCommit]);
        Assert.Equal((0, 9), byKey[ApiKey.OffsetFetch]);
        Assert.Equal((0, 5), byKey[ApiKey.FindCoordinator]);
        Assert.Equal((0, 9), byKey[ApiKey.JoinGroup]);
        Assert.Equal((0, 4), byKey[ApiKey.Heartbeat]);
        Assert.Equal((0, 5), byKey[ApiKey.LeaveGroup]);
        Assert.Equal((0, 5), byKey[ApiKey.SyncGroup]);
        Assert.Equal((0, 5), byKey[ApiKey.DescribeGroups]);
        Assert.Equal((0, 5), byKey[ApiKey.ListGroups]);
        Assert.Equal((0, 2), byKey[ApiKey.DeleteGroups]);
        Assert.Equal((0, 0), byKey[ApiKey.OffsetDelete]);
    }

    [Fact]
    public async Task Metadata_flags_the_offsets_topic_as_internal_and_user_topics_not()
    {
        await using var broker = await StartAsync();
        using var client = await broker.ConnectAsync();
        await client.SendAsync<MetadataResponse>(Requests.Metadata("t"), 12); // auto-creates t
        var committed = await client.SendAsync<OffsetCommitResponse>(new OffsetCommitRequest
        {
            GroupId = "standalone",
            GenerationIdOrMemberEpoch = -1,
            MemberId = "",
            Topics = [new OffsetCommitRequest.OffsetCommitRequestTopic { Name = "t", Partitions = [new OffsetCommitRequest.OffsetCommitRequestPartition { PartitionIndex = 0, CommittedOffset = 3 }] }],
        }, 2);
        Assert.Equal(0, committed.Topics[0].Partitions[0].ErrorCode);
        var all = await client.SendAsync<MetadataResponse>(new MetadataRequest { Topics = null }, 12);
        var internalByName = all.Topics.ToDictionary(t => t.Name!, t => t.IsInternal);
        Assert.True(internalByName["__consumer_offsets"]);
        Assert.False(internalByName["t"]);
    }

    [Fact]
    public async Task FindCoordinator_names_this_node_for_single_and_batched_keys()
    {
        await using var broker = await StartAsync();
        using var client = await broker.ConnectAsync();
        var single = await client.SendAsync<FindCoordinatorResponse>(new FindCoordinatorRequest { Key = "g" }, 0);
        Assert.Equal(0, single.ErrorCode);
        Assert.Equal(broker.Server.KafkaEndPoint.Port, single.Port);
        var batched = await client.SendAsync<FindCoordinatorResponse>(new FindCoordinatorRequest { KeyType = 0, CoordinatorKeys = ["a", "b"] }, 5);
        Assert.Equal(["a", "b"], batched.Coordinators.ConvertAll(c => c.Key));
        Assert.All(batched.Coordinators, c => Assert.Equal((0, broker.Server.KafkaEndPoint.Port), (c.ErrorCode, c.Port)));
        var transaction = await client.SendAsync<FindCoordinatorResponse>(new FindCoordinatorRequest { KeyType = 1, CoordinatorKeys = ["tx"] }, 4);
        Assert.Equal(0, transaction.Coordinators[0].ErrorCode);
        var invalid = await client.SendAsync<FindCoordinatorResponse>(new FindCoordinatorRequest { Key = "x", KeyType = 7 }, 3);
        Assert.Equal((short)ErrorCode.InvalidRequest, invalid.ErrorCode);
    }

    [Fact]
    public async Task The_old_versions_kafka_python_sends_run_a_whole_group_lifecycle()
    {
        await using var broker = await StartAsync();
        using var client = await broker.ConnectAsync();
        await client.CreateTopicAsync("t", 2);
        var joined = await client.SendAsync<JoinGroupResponse>(Join(""), 0);
        Assert.Equal(0, joined.ErrorCode);
        Assert.Equal("range", joined.ProtocolName);
        var synced = await client.SendAsync<SyncGroupResponse>(new SyncGroupRequest
        {
            GroupId = "g",
            GenerationId = joined.GenerationId,
            MemberId = joined.MemberId,
            Assignments = [new SyncGroupRequest.SyncGroupRequestAssignment { MemberId = joined.MemberId, Assignment = new byte[] { 4, 2 } }],
        }, 0);
        Assert.Equal(new byte[] { 4, 2 }, synced.Assignment.ToArray());
        var beat = await client.SendAsync<HeartbeatResponse>(new HeartbeatRequest { GroupId = "g", GenerationId = joined.GenerationId, MemberId = joined.MemberId }, 0);
        Assert.Equal(0, beat.ErrorCode);
        var committed = await client.SendAsync<OffsetCommitResponse>(new OffsetCommitRequest
        {
            GroupId = "g",
            GenerationIdOrMemberEpoch = joined.GenerationId,
            MemberId = joined.MemberId,
            Topics = [new OffsetCommitRequest.OffsetCommitRequestTopic { Name = "t", Partitions = [new OffsetCommitRequest.OffsetCommitRequestPartition { PartitionIndex = 1, CommittedOffset = 17, CommittedMetadata = "md" }] }],
        }, 2);
        Assert.Equal(0, committed.Topics[0].Partitions[0].ErrorCode);
        var fetched = await client.SendAsync<OffsetFetchResponse>(new OffsetFetchRequest
        {
            GroupId = "g",
            Topics = [new OffsetFetchRequest.OffsetFetchRequestTopic { Name = "t", PartitionIndexes = [0, 1] }],
        }, 1);
        Assert.Equal([-1L, 17L], fetched.Topics[0].Partitions.ConvertAll(p => p.CommittedOffset));
        Assert.Equal("md", fetched.Topics[0].Partitions[1].Metadata);
        var left = await client.SendAsync<LeaveGroupResponse>(new LeaveGroupRequest { GroupId = "g", MemberId = joined.MemberId }, 0);
        Assert.Equal(0, left.ErrorCode);
        var unknown = await client.SendAsync<LeaveGroupResponse>(new LeaveGroupRequest { GroupId = "g", MemberId = joined.MemberId }, 1);
        Assert.Equal((short)ErrorCode.UnknownMemberId, unknown.ErrorCode);
    }

    [Fact]
    public async Task The_newest_versions_run_a_whole_group_lifecycle_with_batched_fetches_and_filters()
    {
        await using var broker = await StartAsync();
        using var client = await broker.ConnectAsync();
        await client.CreateTopicAsync("t", 2);
        var required = await client.SendAsync<JoinGroupResponse>(Join(""), 9);
        Assert.Equal((short)ErrorCode.MemberIdRequired, required.ErrorCode);
        Assert.Null(required.ProtocolName);
        var joined = await client.SendAsync<JoinGroupResponse>(Join(required.MemberId), 9);
        Assert.Equal((0, required.MemberId, "consumer"), (joined.ErrorCode, joined.Leader, joined.ProtocolType));
        var synced = await client.SendAsync<SyncGroupResponse>(new SyncGroupRequest
        {
            GroupId = "g",
            GenerationId = joined.GenerationId,
            MemberId = joined.MemberId,
            ProtocolType = "consumer",
            ProtocolName = "range",
            Assignments = [new SyncGroupRequest.SyncGroupRequestAssignment { MemberId = joined.MemberId, Assignment = new byte[] { 1 } }],
        }, 5);
        Assert.Equal(("consumer", "range"), (synced.ProtocolType, synced.ProtocolName));
        var committed = await client.SendAsync<OffsetCommitResponse>(new OffsetCommitRequest
        {
            GroupId = "g",
            GenerationIdOrMemberEpoch = joined.GenerationId,
            MemberId = joined.MemberId,
            Topics = [new OffsetCommitRequest.OffsetCommitRequestTopic { Name = "t", Partitions = [new OffsetCommitRequest.OffsetCommitRequestPartition { PartitionIndex = 0, CommittedOffset = 5, CommittedLeaderEpoch = 2 }] }],
        }, 9);
        Assert.Equal(0, committed.Topics[0].Partitions[0].ErrorCode);
        var fetched = await client.SendAsync<OffsetFetchResponse>(new OffsetFetchRequest
        {
            Groups =
            [
                new OffsetFetchRequest.OffsetFetchRequestGroup { GroupId = "g", Topics = null },
                new OffsetFetchRequest.OffsetFetchRequestGroup { GroupId = "none", Topics = [new OffsetFetchRequest.OffsetFetchRequestTopics { Name = "t", PartitionIndexes = [0] }] },
            ],
        }, 9);
        OffsetFetchResponse.OffsetFetchResponsePartitions mine = fetched.Groups[0].Topics[0].Partitions[0];
        Assert.Equal((5L, 2), (mine.CommittedOffset, mine.CommittedLeaderEpoch));
        Assert.Equal(-1, fetched.Groups[1].Topics[0].Partitions[0].CommittedOffset);

        var stable = await client.SendAsync<ListGroupsResponse>(new ListGroupsRequest { StatesFilter = ["Stable"] }, 5);
        Assert.Equal(("g", "Stable", "classic"), (stable.Groups[0].GroupId, stable.Groups[0].GroupState, stable.Groups[0].GroupType));
        var empty = await client.SendAsync<ListGroupsResponse>(new ListGroupsRequest { StatesFilter = ["Empty"] }, 4);
        Assert.Empty(empty.Groups);
        var described = await client.SendAsync<DescribeGroupsResponse>(new DescribeGroupsRequest { Groups = ["g", "ghost"], IncludeAuthorizedOperations = true }, 5);
        Assert.Equal(("Stable", "range", joined.MemberId), (described.Groups[0].GroupState, described.Groups[0].ProtocolData, described.Groups[0].Members[0].MemberId));
        Assert.Equal(new byte[] { 1 }, described.Groups[0].Members[0].MemberAssignment.ToArray());
        Assert.Equal("Dead", described.Groups[1].GroupState);

        var notEmpty = await client.SendAsync<DeleteGroupsResponse>(new DeleteGroupsRequest { GroupsNames = ["g"] }, 2);
        Assert.Equal((short)ErrorCode.NonEmptyGroup, notEmpty.Results[0].ErrorCode);
        var left = await client.SendAsync<LeaveGroupResponse>(new LeaveGroupRequest
        {
            GroupId = "g",
            Members = [new LeaveGroupRequest.MemberIdentity { MemberId = joined.MemberId, Reason = "done" }, new LeaveGroupRequest.MemberIdentity { MemberId = "ghost" }],
        }, 5);
        Assert.Equal([(short)0, (short)ErrorCode.UnknownMemberId], left.Members.ConvertAll(m => m.ErrorCode));
        var offsetDeleted = await client.SendAsync<OffsetDeleteResponse>(new OffsetDeleteRequest
        {
            GroupId = "g",
            Topics = [new OffsetDeleteRequest.OffsetDeleteRequestTopic { Name = "t", Partitions = [new OffsetDeleteRequest.OffsetDeleteRequestPartition { PartitionIndex = 0 }] }],
        }, 0);
        Assert.Equal(0, offsetDeleted.Topics[0].Partitions[0].ErrorCode);
        var deleted = await client.SendAsync<DeleteGroupsResponse>(new DeleteGroupsRequest { GroupsNames = ["g", "ghost"] }, 2);
        Assert.Equal([(short)0, (short)ErrorCode.GroupIdNotFound], deleted.Results.ConvertAll(r => r.ErrorCode));
    }

    [Fact]
    public async Task Lag_is_exported_as_a_gauge_per_group_and_partition()
    {
        await using var broker = await StartAsync();
        using var client = await broker.ConnectAsync();
        await client.CreateTopicAsync("t", 1);
        await client.SendAsync<OffsetCommitResponse>(new OffsetCommitRequest
        {
            GroupId = "lagging",
            Topics = [new OffsetCommitRequest.OffsetCommitRequestTopic { Name = "t", Partitions = [new OffsetCommitRequest.OffsetCommitRequestPartition { PartitionIndex = 0, CommittedOffset = 0 }] }],
        }, 8);
        var family = broker.Server.Metrics.Registry.Families.Single(f => f.Name == "brook_consumer_group_lag");
        var child = Assert.Single(family.Children());
        Assert.Equal(["lagging", "t", "0"], child.Key);
    }
}
