namespace Brook.Client.Producing;

/// <summary>A topic's partitions as the producer knows them, and the sticky partition for keyless records.</summary>
internal sealed class TopicState(string name)
{
    public string Name { get; } = name;

    public List<PartitionState> Partitions { get; } = [];

    public int StickyPartition { get; set; } = -1;

    public int PartitionCount => Partitions.Count;

    public void GrowTo(int count)
    {
        while (Partitions.Count < count)
        {
            Partitions.Add(new PartitionState(new TopicPartition(Name, Partitions.Count)));
        }
    }
}
