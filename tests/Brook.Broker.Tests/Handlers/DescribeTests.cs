using Brook.Protocol.Errors;
using Brook.Protocol.Messages;

namespace Brook.Broker.Tests.Handlers;

public sealed class DescribeTests
{
    [Fact]
    public async Task DescribeCluster_names_this_node_as_the_only_broker_and_the_controller()
    {
        await using var broker = await BrokerUnderTest.StartAsync(o => o.NodeId = 7);
        using var client = await broker.ConnectAsync();

        var response = await client.SendAsync<DescribeClusterResponse>(new DescribeClusterRequest(), 1);

        Assert.Equal(7, response.ControllerId);
        var only = Assert.Single(response.Brokers);
        Assert.Equal((7, broker.Server.KafkaEndPoint.Port), (only.BrokerId, only.Port));
        Assert.False(string.IsNullOrEmpty(response.ClusterId));
    }

    [Fact]
    public async Task OffsetForLeaderEpoch_answers_the_end_of_epoch_zero_and_fences_newer_epochs()
    {
        await using var broker = await BrokerUnderTest.StartAsync();
        using var client = await broker.ConnectAsync();
        await client.CreateTopicAsync("e");
        await client.SendAsync<ProduceResponse>(Requests.Produce("e", 0, Requests.Batch(4)), 9);

        var response = await client.SendAsync<OffsetForLeaderEpochResponse>(new OffsetForLeaderEpochRequest
        {
            ReplicaId = -1,
            Topics = [new() { Topic = "e", Partitions = [new() { Partition = 0, CurrentLeaderEpoch = 0, LeaderEpoch = 0 }, new() { Partition = 0, CurrentLeaderEpoch = 3, LeaderEpoch = 0 }] }],
        }, 4);

        var current = response.Topics[0].Partitions[0];
        Assert.Equal((0, 0, 4L), (current.ErrorCode, current.LeaderEpoch, current.EndOffset));
        Assert.Equal((short)ErrorCode.UnknownLeaderEpoch, response.Topics[0].Partitions[1].ErrorCode);
    }

    [Fact]
    public async Task DescribeLogDirs_reports_the_data_directory_and_partition_sizes()
    {
        await using var broker = await BrokerUnderTest.StartAsync();
        using var client = await broker.ConnectAsync();
        await client.CreateTopicAsync("d", partitions: 2);
        await client.SendAsync<ProduceResponse>(Requests.Produce("d", 1, Requests.Batch(3)), 9);

        var response = await client.SendAsync<DescribeLogDirsResponse>(new DescribeLogDirsRequest { Topics = null }, 4);

        var dir = Assert.Single(response.Results);
        Assert.Equal(Path.GetFullPath(broker.DataDirectory), dir.LogDir);
        Assert.True(dir.TotalBytes > 0);
        var topic = Assert.Single(dir.Topics);
        Assert.Equal(0, topic.Partitions.Single(p => p.PartitionIndex == 0).PartitionSize);
        Assert.True(topic.Partitions.Single(p => p.PartitionIndex == 1).PartitionSize > 61);
    }

    [Fact]
    public async Task DescribeProducers_lists_idempotent_producers_with_their_last_sequence()
    {
        await using var broker = await BrokerUnderTest.StartAsync();
        using var client = await broker.ConnectAsync();
        await client.CreateTopicAsync("p");
        await client.SendAsync<ProduceResponse>(Requests.Produce("p", 0, Requests.Batch(3, producerId: 21, producerEpoch: 2, baseSequence: 0)), 9);

        var response = await client.SendAsync<DescribeProducersResponse>(new DescribeProducersRequest { Topics = [new() { Name = "p", PartitionIndexes = [0, 9] }] }, 0);

        var producer = Assert.Single(response.Topics[0].Partitions[0].ActiveProducers);
        Assert.Equal((21L, 2, 2), (producer.ProducerId, producer.ProducerEpoch, producer.LastSequence));
        Assert.Equal((short)ErrorCode.UnknownTopicOrPartition, response.Topics[0].Partitions[1].ErrorCode);
    }
}
