using Brook.Protocol.Messages;

namespace Brook.Protocol.Tests.Golden;

/// <summary>What librdkafka and kafka-python put in their ApiVersions and Metadata requests.</summary>
public class CapturedApiVersionsAndMetadataTests
{
    [Fact]
    public void Librdkafka_ApiVersions_v3_names_the_client_software_in_a_flexible_header()
    {
        GoldenFrame frame = GoldenFrame.Load("librdkafka-2.0.2-apiversions-v3.hex");

        frame.AssertHeader(ApiKey.ApiVersions, version: 3, correlationId: 1, clientId: "rdkafka");
        var body = Assert.IsType<ApiVersionsRequest>(frame.Body);
        Assert.Equal("librdkafka", body.ClientSoftwareName);
        Assert.Equal("2.0.2", body.ClientSoftwareVersion);
        Assert.Null(frame.Header.UnknownTaggedFields);
        Assert.Null(body.UnknownTaggedFields);
    }

    [Fact]
    public void Kafka_python_probes_with_an_empty_ApiVersions_v0()
    {
        GoldenFrame frame = GoldenFrame.Load("kafka-python-2.0.2-apiversions-v0.hex");

        frame.AssertHeader(ApiKey.ApiVersions, version: 0, correlationId: 1, clientId: "kafka-python-producer-1");
        var body = Assert.IsType<ApiVersionsRequest>(frame.Body);
        // v0 has no body fields, so the decoder leaves the defaults.
        Assert.Equal("", body.ClientSoftwareName);
        Assert.Equal("", body.ClientSoftwareVersion);
    }

    [Fact]
    public void Librdkafka_Metadata_v4_asks_for_the_produced_topic_and_allows_auto_creation()
    {
        GoldenFrame frame = GoldenFrame.Load("librdkafka-2.0.2-metadata-v4.hex");

        frame.AssertHeader(ApiKey.Metadata, version: 4, correlationId: 2, clientId: "rdkafka");
        var body = Assert.IsType<MetadataRequest>(frame.Body);
        Assert.NotNull(body.Topics);
        Assert.Equal(["records"], body.Topics.Select(t => t.Name));
        Assert.True(body.AllowAutoTopicCreation);
    }

    [Fact]
    public void Kafka_python_bootstraps_with_Metadata_v0_and_an_empty_list_meaning_all_topics()
    {
        GoldenFrame frame = GoldenFrame.Load("kafka-python-2.0.2-metadata-v0.hex");

        frame.AssertHeader(ApiKey.Metadata, version: 0, correlationId: 2, clientId: "kafka-python-producer-1");
        var body = Assert.IsType<MetadataRequest>(frame.Body);
        Assert.NotNull(body.Topics);
        Assert.Empty(body.Topics);
    }

    [Fact]
    public void Kafka_python_Metadata_v1_sends_a_null_topic_list_meaning_all_topics()
    {
        GoldenFrame frame = GoldenFrame.Load("kafka-python-2.0.2-metadata-v1.hex");

        frame.AssertHeader(ApiKey.Metadata, version: 1, correlationId: 3, clientId: "kafka-python-producer-1");
        var body = Assert.IsType<MetadataRequest>(frame.Body);
        Assert.Null(body.Topics);
    }
}
