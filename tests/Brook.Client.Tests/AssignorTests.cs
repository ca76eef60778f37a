using Brook.Client.Groups;

namespace Brook.Client.Tests;

public sealed class AssignorTests
{
    private static readonly Dictionary<string, IReadOnlyList<string>> TwoMembersBothTopics = new()
    {
        ["m-b"] = ["orders", "audit"],
        ["m-a"] = ["orders", "audit"],
    };

    private static readonly Dictionary<string, int> Counts = new() { ["orders"] = 3, ["audit"] = 2 };

    [Fact]
    public void Range_gives_each_member_a_contiguous_range_per_topic_with_extras_to_the_first_members()
    {
        IReadOnlyDictionary<string, List<TopicPartition>> assigned = new RangeAssignor().Assign(TwoMembersBothTopics, Counts);

        Assert.Equal([new("audit", 0), new("orders", 0), new("orders", 1)], assigned["m-a"]);
        Assert.Equal([new("audit", 1), new("orders", 2)], assigned["m-b"]);
    }

    [Fact]
    public void Round_robin_deals_every_partition_in_turn_to_the_sorted_members()
    {
        IReadOnlyDictionary<string, List<TopicPartition>> assigned = new RoundRobinAssignor().Assign(TwoMembersBothTopics, Counts);

        Assert.Equal([new("audit", 0), new("orders", 0), new("orders", 2)], assigned["m-a"]);
        Assert.Equal([new("audit", 1), new("orders", 1)], assigned["m-b"]);
    }

    [Fact]
    public void Members_only_get_partitions_of_topics_they_subscribe_to()
    {
        var subscriptions = new Dictionary<string, IReadOnlyList<string>> { ["a"] = ["orders"], ["b"] = ["audit"] };

        foreach (IPartitionAssignor assignor in new IPartitionAssignor[] { new RangeAssignor(), new RoundRobinAssignor() })
        {
            IReadOnlyDictionary<string, List<TopicPartition>> assigned = assignor.Assign(subscriptions, Counts);
            Assert.All(assigned["a"], p => Assert.Equal("orders", p.Topic));
            Assert.All(assigned["b"], p => Assert.Equal("audit", p.Topic));
            Assert.Equal(5, assigned["a"].Count + assigned["b"].Count);
        }
    }
}
