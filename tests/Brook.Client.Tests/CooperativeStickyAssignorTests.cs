using Brook.Client.Groups;

namespace Brook.Client.Tests;

public sealed class CooperativeStickyAssignorTests
{
    private static readonly CooperativeStickyAssignor Assignor = new();

    private static Dictionary<string, IReadOnlyList<string>> Subscribe(string topic, params string[] members) =>
        members.ToDictionary(m => m, _ => (IReadOnlyList<string>)[topic]);

    private static TopicPartition[] Jobs(params int[] partitions) => [.. partitions.Select(p => new TopicPartition("jobs", p))];

    [Fact]
    public void A_fresh_group_gets_a_balanced_assignment_of_every_partition()
    {
        var subscriptions = new Dictionary<string, IReadOnlyList<string>>
        {
            ["a"] = ["jobs", "audit"],
            ["b"] = ["jobs", "audit"],
            ["c"] = ["jobs", "audit"],
        };

        IReadOnlyDictionary<string, List<TopicPartition>> assigned = Assignor.Assign(subscriptions, new Dictionary<string, int> { ["jobs"] = 5, ["audit"] = 2 });

        Assert.Equal([3, 2, 2], assigned.Values.Select(p => p.Count).OrderDescending());
        TopicPartition[] all = [.. assigned.Values.SelectMany(p => p)];
        Assert.Equal(7, all.Distinct().Count());
        Assert.Equal(7, all.Length);
    }

    [Fact]
    public void A_balanced_group_keeps_exactly_what_it_owns()
    {
        var owned = new Dictionary<string, IReadOnlyList<TopicPartition>> { ["a"] = Jobs(1, 4, 5), ["b"] = Jobs(0, 2, 3) };

        IReadOnlyDictionary<string, List<TopicPartition>> assigned = Assignor.Assign(Subscribe("jobs", "a", "b"), owned, new Dictionary<string, int> { ["jobs"] = 6 });

        Assert.Equal(Jobs(1, 4, 5), assigned["a"]);
        Assert.Equal(Jobs(0, 2, 3), assigned["b"]);
    }

    [Fact]
    public void A_joining_member_gets_moved_partitions_only_in_the_round_after_their_owners_gave_them_up()
    {
        var counts = new Dictionary<string, int> { ["jobs"] = 6 };
        var owned = new Dictionary<string, IReadOnlyList<TopicPartition>> { ["a"] = Jobs(0, 1, 2), ["b"] = Jobs(3, 4, 5), ["c"] = [] };

        IReadOnlyDictionary<string, List<TopicPartition>> first = Assignor.Assign(Subscribe("jobs", "a", "b", "c"), owned, counts);

        // Round one only takes away: one partition from each old member, nothing to the new one yet.
        Assert.Empty(first["c"]);
        Assert.Equal(2, first["a"].Count);
        Assert.Equal(2, first["b"].Count);
        Assert.Subset(owned["a"].ToHashSet(), first["a"].ToHashSet());
        Assert.Subset(owned["b"].ToHashSet(), first["b"].ToHashSet());

        var afterRevoking = new Dictionary<string, IReadOnlyList<TopicPartition>> { ["a"] = first["a"], ["b"] = first["b"], ["c"] = [] };
        IReadOnlyDictionary<string, List<TopicPartition>> second = Assignor.Assign(Subscribe("jobs", "a", "b", "c"), afterRevoking, counts);

        // Round two hands the two revoked partitions to the new member and moves nothing else.
        Assert.Equal(first["a"], second["a"]);
        Assert.Equal(first["b"], second["b"]);
        TopicPartition[] revoked = [.. owned["a"].Except(first["a"]), .. owned["b"].Except(first["b"])];
        Assert.Equal(revoked.OrderBy(p => p.Partition), second["c"].OrderBy(p => p.Partition));
    }

    [Fact]
    public void Partitions_of_a_member_that_left_go_straight_to_the_others()
    {
        var owned = new Dictionary<string, IReadOnlyList<TopicPartition>> { ["a"] = Jobs(0, 1), ["b"] = Jobs(2, 3) };

        IReadOnlyDictionary<string, List<TopicPartition>> assigned = Assignor.Assign(Subscribe("jobs", "a", "b"), owned, new Dictionary<string, int> { ["jobs"] = 6 });

        Assert.Equal(3, assigned["a"].Count);
        Assert.Equal(3, assigned["b"].Count);
        Assert.Subset(assigned["a"].ToHashSet(), Jobs(0, 1).ToHashSet());
        Assert.Equal(6, assigned.Values.SelectMany(p => p).Distinct().Count());
    }

    [Fact]
    public void Owned_partitions_of_topics_no_longer_subscribed_are_dropped_and_members_only_get_their_topics()
    {
        var subscriptions = new Dictionary<string, IReadOnlyList<string>> { ["a"] = ["jobs"], ["b"] = ["audit"] };
        var owned = new Dictionary<string, IReadOnlyList<TopicPartition>> { ["a"] = [new("audit", 0), new("jobs", 0)], ["b"] = [] };

        IReadOnlyDictionary<string, List<TopicPartition>> assigned = Assignor.Assign(subscriptions, owned, new Dictionary<string, int> { ["jobs"] = 2, ["audit"] = 2 });

        Assert.Equal(Jobs(0, 1), assigned["a"]);
        Assert.Equal([new("audit", 1)], assigned["b"]);
    }
}
