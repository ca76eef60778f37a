namespace Brook.Broker.Groups;

/// <summary>The classic protocol's group states (Kafka's names are what ListGroups and DescribeGroups report).</summary>
public enum GroupState
{
    Empty,
    PreparingRebalance,
    CompletingRebalance,
    Stable,
    Dead,
}

public static class GroupStateNames
{
    public static string Of(GroupState state) => state switch
    {
        GroupState.Empty => "Empty",
        GroupState.PreparingRebalance => "PreparingRebalance",
        GroupState.CompletingRebalance => "CompletingRebalance",
        GroupState.Stable => "Stable",
        _ => "Dead",
    };
}
