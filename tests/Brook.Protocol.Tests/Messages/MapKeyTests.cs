using Brook.Protocol.Messages;

namespace Brook.Protocol.Tests.Messages;

public sealed class MapKeyTests
{
    [Fact]
    public void Find_returns_the_element_whose_map_key_matches()
    {
        List<ProduceRequest.TopicProduceData> topics = [new() { Name = "a" }, new() { Name = "b" }];
        Assert.Same(topics[1], ProduceRequest.TopicProduceData.Find(topics, "b"));
        Assert.Null(ProduceRequest.TopicProduceData.Find(topics, "c"));
    }

    [Fact]
    public void Find_with_a_composite_key_needs_every_part_to_match()
    {
        List<AlterConfigsRequest.AlterConfigsResource> resources =
        [
            new() { ResourceType = 2, ResourceName = "t" },
            new() { ResourceType = 4, ResourceName = "t" },
        ];
        Assert.Same(resources[1], AlterConfigsRequest.AlterConfigsResource.Find(resources, 4, "t"));
        Assert.Null(AlterConfigsRequest.AlterConfigsResource.Find(resources, 4, "u"));
    }
}
