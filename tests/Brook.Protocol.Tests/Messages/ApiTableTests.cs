using Brook.Protocol.Messages;

namespace Brook.Protocol.Tests.Messages;

public sealed class ApiTableTests
{
    [Fact]
    public void The_api_table_has_all_76_keys_in_order()
    {
        Assert.Equal(76, ApiMessageTypes.All.Count);
        for (int key = 0; key < ApiMessageTypes.All.Count; key++)
        {
            Assert.Equal(key, (int)ApiMessageTypes.All[key].Key);
        }
        Assert.Equal(ApiKey.DescribeTopicPartitions, ApiMessageTypes.All[75].Key);
        Assert.Null(ApiMessageTypes.Find(76));
        Assert.Null(ApiMessageTypes.Find(-1));
    }

    [Fact]
    public void The_factories_make_the_matching_request_and_response_for_every_key()
    {
        foreach (var api in ApiMessageTypes.All)
        {
            var request = ApiMessageTypes.CreateRequest(api.Key);
            var response = ApiMessageTypes.CreateResponse(api.Key);
            Assert.Equal(api.Key, request.ApiKey);
            Assert.Equal(api.Key, response.ApiKey);
            Assert.EndsWith("Request", request.GetType().Name, StringComparison.Ordinal);
            Assert.EndsWith("Response", response.GetType().Name, StringComparison.Ordinal);
            Assert.Equal(api.LowestVersion, request.LowestSupportedVersion);
            Assert.Equal(api.HighestVersion, request.HighestSupportedVersion);
        }
    }

    [Fact]
    public void Versions_and_flexible_versions_come_from_the_specs()
    {
        var produce = ApiMessageTypes.Get(ApiKey.Produce);
        Assert.Equal(0, produce.LowestVersion);
        Assert.Equal(11, produce.HighestVersion);
        Assert.Equal(9, produce.FirstFlexibleRequestVersion);
        Assert.False(produce.IsFlexibleRequest(8));
        Assert.True(produce.IsFlexibleRequest(9));
        Assert.Equal(3, ApiMessageTypes.Get(ApiKey.ControlledShutdown).FirstFlexibleRequestVersion);
    }

    [Fact]
    public void ApiVersions_responses_always_use_header_v0()
    {
        var apiVersions = ApiMessageTypes.Get(ApiKey.ApiVersions);
        for (short version = 0; version <= 5; version++)
        {
            Assert.Equal(0, apiVersions.ResponseHeaderVersion(version));
        }
        Assert.Equal(2, apiVersions.RequestHeaderVersion(3));
        Assert.Equal(1, apiVersions.RequestHeaderVersion(2));
    }

    [Fact]
    public void Metadata_requests_use_header_v2_from_version_9()
    {
        var metadata = ApiMessageTypes.Get(ApiKey.Metadata);
        Assert.Equal(1, metadata.RequestHeaderVersion(8));
        Assert.Equal(2, metadata.RequestHeaderVersion(9));
        Assert.Equal(2, metadata.RequestHeaderVersion(12));
        Assert.Equal(0, metadata.ResponseHeaderVersion(8));
        Assert.Equal(1, metadata.ResponseHeaderVersion(9));
    }

    [Fact]
    public void ControlledShutdown_v0_uses_request_header_v0()
    {
        var shutdown = ApiMessageTypes.Get(ApiKey.ControlledShutdown);
        Assert.Equal(0, shutdown.RequestHeaderVersion(0));
        Assert.Equal(1, shutdown.RequestHeaderVersion(1));
    }

    [Fact]
    public void A_version_above_the_known_range_counts_as_flexible()
    {
        Assert.Equal(2, ApiMessageTypes.Get(ApiKey.ApiVersions).RequestHeaderVersion(99));
        Assert.Equal(1, ApiMessageTypes.Get(ApiKey.Fetch).ResponseHeaderVersion(99));
    }
}
