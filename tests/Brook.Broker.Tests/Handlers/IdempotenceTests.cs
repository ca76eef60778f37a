using Brook.Protocol.Errors;
using Brook.Protocol.Messages;

namespace Brook.Broker.Tests.Handlers;

public sealed class IdempotenceTests
{
    [Fact]
    public async Task InitProducerId_hands_out_distinct_ids_and_bumps_the_epoch_when_asked()
    {
        await using var broker = await BrokerUnderTest.StartAsync();
        using var client = await broker.ConnectAsync();

        var first = await client.SendAsync<InitProducerIdResponse>(new InitProducerIdRequest { TransactionalId = null }, 4);
        var second = await client.SendAsync<InitProducerIdResponse>(new InitProducerIdRequest { TransactionalId = null }, 4);
        var bumped = await client.SendAsync<InitProducerIdResponse>(new InitProducerIdRequest { TransactionalId = null, ProducerId = first.ProducerId, ProducerEpoch = 0 }, 4);

        Assert.NotEqual(first.ProducerId, second.ProducerId);
        Assert.Equal((short)0, first.ProducerEpoch);
        Assert.Equal((first.ProducerId, (short)1), (bumped.ProducerId, bumped.ProducerEpoch));
    }

    [Fact]
    public async Task Producer_ids_are_not_reused_after_a_restart()
    {
        await using var broker = await BrokerUnderTest.StartAsync();
        long before;
        using (var client = await broker.ConnectAsync())
        {
            before = (await client.SendAsync<InitProducerIdResponse>(new InitProducerIdRequest { TransactionalId = null }, 4)).ProducerId;
        }

        await broker.RestartAsync();

        using var after = await broker.ConnectAsync();
        Assert.True((await after.SendAsync<InitProducerIdResponse>(new InitProducerIdRequest { TransactionalId = null }, 4)).ProducerId > before);
    }

    [Fact]
    public async Task A_retried_batch_is_answered_with_its_original_offset_and_stored_once()
    {
        await using var broker = await BrokerUnderTest.StartAsync();
        using var client = await broker.ConnectAsync();
        await client.CreateTopicAsync("t");

        long first = await ProduceAsync(client, Requests.Batch(2, producerId: 7, producerEpoch: 0, baseSequence: 0));
        long second = await ProduceAsync(client, Requests.Batch(2, producerId: 7, producerEpoch: 0, baseSequence: 2));
        long retried = await ProduceAsync(client, Requests.Batch(2, producerId: 7, producerEpoch: 0, baseSequence: 0));
        var fetched = await client.SendAsync<FetchResponse>(Requests.Fetch("t", 0, 0), 12);

        Assert.Equal((0L, 2L, 0L), (first, second, retried));
        Assert.Equal(4, Requests.RecordsOf(fetched.Responses[0].Partitions[0]).Count);
    }

    [Fact]
    public async Task A_sequence_gap_is_out_of_order_and_an_old_epoch_is_fenced()
    {
        await using var broker = await BrokerUnderTest.StartAsync();
        using var client = await broker.ConnectAsync();
        await client.CreateTopicAsync("t");
        await ProduceAsync(client, Requests.Batch(1, producerId: 9, producerEpoch: 1, baseSequence: 0));

        short gap = await ErrorAsync(client, Requests.Batch(1, producerId: 9, producerEpoch: 1, baseSequence: 5));
        short stale = await ErrorAsync(client, Requests.Batch(1, producerId: 9, producerEpoch: 0, baseSequence: 1));
        short next = await ErrorAsync(client, Requests.Batch(1, producerId: 9, producerEpoch: 1, baseSequence: 1));

        Assert.Equal((short)ErrorCode.OutOfOrderSequenceNumber, gap);
        Assert.Equal((short)ErrorCode.InvalidProducerEpoch, stale);
        Assert.Equal(0, next);
    }

    [Fact]
    public async Task Duplicates_are_still_detected_after_a_restart()
    {
        await using var broker = await BrokerUnderTest.StartAsync();
        using (var client = await broker.ConnectAsync())
        {
            await client.CreateTopicAsync("t");
            await ProduceAsync(client, Requests.Batch(3, producerId: 11, producerEpoch: 0, baseSequence: 0));
        }

        await broker.RestartAsync();

        using var after = await broker.ConnectAsync();
        Assert.Equal(0, await ProduceAsync(after, Requests.Batch(3, producerId: 11, producerEpoch: 0, baseSequence: 0)));
        Assert.Equal((short)ErrorCode.OutOfOrderSequenceNumber, await ErrorAsync(after, Requests.Batch(1, producerId: 11, producerEpoch: 0, baseSequence: 7)));
    }

    [Fact]
    public async Task A_clean_restart_keeps_producer_state_whose_batches_are_in_older_segments()
    {
        await using var broker = await BrokerUnderTest.StartAsync();
        using (var client = await broker.ConnectAsync())
        {
            await client.SendAsync<CreateTopicsResponse>(Requests.CreateTopic("t", configs: ("segment.bytes", "200")), 7);
            await ProduceAsync(client, Requests.Batch(3, producerId: 12, producerEpoch: 0, baseSequence: 0));
            for (int i = 0; i < 4; i++)
            {
                await ProduceAsync(client, Requests.Batch(3, producerId: 13, producerEpoch: 0, baseSequence: i * 3));
            }
        }
        Assert.True(Directory.GetFiles(Path.Combine(broker.DataDirectory, "t-0"), "*.log").Length > 1, "the test needs more than one segment");

        await broker.RestartAsync();

        using var after = await broker.ConnectAsync();
        Assert.Equal(0, await ProduceAsync(after, Requests.Batch(3, producerId: 12, producerEpoch: 0, baseSequence: 0)));
        Assert.Equal((short)ErrorCode.OutOfOrderSequenceNumber, await ErrorAsync(after, Requests.Batch(1, producerId: 12, producerEpoch: 0, baseSequence: 9)));
    }

    private static async Task<long> ProduceAsync(KafkaTestClient client, byte[] batch)
    {
        var response = await client.SendAsync<ProduceResponse>(Requests.Produce("t", 0, batch), 9);
        Assert.Equal(0, response.Responses[0].PartitionResponses[0].ErrorCode);
        return response.Responses[0].PartitionResponses[0].BaseOffset;
    }

    private static async Task<short> ErrorAsync(KafkaTestClient client, byte[] batch) =>
        (await client.SendAsync<ProduceResponse>(Requests.Produce("t", 0, batch), 9)).Responses[0].PartitionResponses[0].ErrorCode;
}
