using System.Buffers.Binary;
using Brook.Broker.Tests.Support;
using Brook.Protocol.Errors;
using Brook.Protocol.Messages;

namespace Brook.Broker.Tests.Handlers;

public sealed class ApiVersionsTests
{
    [Fact]
    public async Task ApiVersions_lists_the_served_apis_with_their_ranges_and_nothing_else()
    {
        await using var broker = await BrokerUnderTest.StartAsync();
        using var client = await broker.ConnectAsync();

        var response = await client.SendAsync<ApiVersionsResponse>(new ApiVersionsRequest { ClientSoftwareName = "tests", ClientSoftwareVersion = "1.0" }, 3);

        Assert.Equal(0, response.ErrorCode);
        var byKey = response.ApiKeys.ToDictionary(k => (ApiKey)k.ApiKey);
        Assert.Equal((3, 11), (byKey[ApiKey.Produce].MinVersion, byKey[ApiKey.Produce].MaxVersion));
        Assert.Equal((4, 16), (byKey[ApiKey.Fetch].MinVersion, byKey[ApiKey.Fetch].MaxVersion));
        Assert.Equal((0, 12), (byKey[ApiKey.Metadata].MinVersion, byKey[ApiKey.Metadata].MaxVersion));
        Assert.Equal((0, 3), (byKey[ApiKey.ApiVersions].MinVersion, byKey[ApiKey.ApiVersions].MaxVersion));
        Assert.Equal((0, 0), (byKey[ApiKey.ConsumerGroupHeartbeat].MinVersion, byKey[ApiKey.ConsumerGroupHeartbeat].MaxVersion));
        Assert.Equal((0, 0), (byKey[ApiKey.ConsumerGroupDescribe].MinVersion, byKey[ApiKey.ConsumerGroupDescribe].MaxVersion));
        Assert.Equal((0, 5), (byKey[ApiKey.AddPartitionsToTxn].MinVersion, byKey[ApiKey.AddPartitionsToTxn].MaxVersion));
    }

    [Fact]
    public async Task A_too_new_ApiVersions_is_answered_in_v0_with_unsupported_version_and_only_its_own_range()
    {
        await using var broker = await BrokerUnderTest.StartAsync();
        using var client = await broker.ConnectAsync();
        // v9 does not exist; its body is not parsed, so an empty v2 header body is enough.
        byte[] frame = RawKafkaClient.Frame((short)ApiKey.ApiVersions, 9, 77, [0xFF, 0xFF, 0x00, 0x00]);

        await client.SendRawAsync(frame);
        byte[] answer = (await client.ReceiveFrameAsync())!;

        Assert.Equal(77, BinaryPrimitives.ReadInt32BigEndian(answer));
        var reader = new Brook.Protocol.Primitives.KafkaReader(answer.AsMemory(4));
        var body = new ApiVersionsResponse();
        body.Read(ref reader, 0);
        Assert.Equal((short)ErrorCode.UnsupportedVersion, body.ErrorCode);
        var only = Assert.Single(body.ApiKeys);
        Assert.Equal(((short)18, (short)0, (short)3), (only.ApiKey, only.MinVersion, only.MaxVersion));
    }

    [Fact]
    public async Task A_version_the_broker_does_not_serve_closes_the_connection_and_others_keep_working()
    {
        await using var broker = await BrokerUnderTest.StartAsync();
        using var rejected = await broker.ConnectAsync();
        using var other = await broker.ConnectAsync();

        await rejected.SendRawAsync(RawKafkaClient.Frame((short)ApiKey.Produce, 2, 5, [0xFF, 0xFF]));

        Assert.Null(await rejected.ReceiveFrameAsync());
        var metadata = await other.SendAsync<MetadataResponse>(new MetadataRequest { Topics = null }, 12);
        Assert.Single(metadata.Brokers);
    }

    [Fact]
    public async Task A_body_that_does_not_decode_closes_the_connection()
    {
        await using var broker = await BrokerUnderTest.StartAsync();
        using var client = await broker.ConnectAsync();
        // Metadata v1: client_id null, then a topic count of 5 with no topics behind it.
        await client.SendRawAsync(RawKafkaClient.Frame((short)ApiKey.Metadata, 1, 3, [0xFF, 0xFF, 0, 0, 0, 5]));

        Assert.Null(await client.ReceiveFrameAsync());
    }

    [Fact]
    public async Task An_invalid_client_software_name_is_an_invalid_request()
    {
        await using var broker = await BrokerUnderTest.StartAsync();
        using var client = await broker.ConnectAsync();

        var response = await client.SendAsync<ApiVersionsResponse>(new ApiVersionsRequest { ClientSoftwareName = "bad name!", ClientSoftwareVersion = "1" }, 3);

        Assert.Equal((short)ErrorCode.InvalidRequest, response.ErrorCode);
    }
}
