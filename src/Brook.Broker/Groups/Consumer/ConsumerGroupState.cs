namespace Brook.Broker.Groups.Consumer;

/// <summary>A consumer (KIP-848) group's states, derived from its epochs and members as Kafka derives them.</summary>
public enum ConsumerGroupState
{
    Empty,
    Assigning,
    Reconciling,
    Stable,
    Dead,
}

public static class ConsumerGroupStateNames
{
    public static string Of(ConsumerGroupState state) => state switch
    {
        ConsumerGroupState.Empty => "Empty",
        ConsumerGroupState.Assigning => "Assigning",
        ConsumerGroupState.Reconciling => "Reconciling",
        ConsumerGroupState.Stable => "Stable",
        _ => "Dead",
    };
}
