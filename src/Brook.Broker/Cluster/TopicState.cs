using Brook.Broker.Partitions;
using Brook.Protocol.Primitives;

namespace Brook.Broker.Cluster;

/// <summary>A topic as the metadata log defines it, with the leaders of its partitions.</summary>
public sealed class TopicState
{
    private PartitionLeader[] _partitions;
    private IReadOnlyDictionary<string, string> _configs;

    public TopicState(string name, Uuid id, IReadOnlyDictionary<string, string> configs, PartitionLeader[] partitions)
    {
        Name = name;
        Id = id;
        _configs = configs;
        _partitions = partitions;
        ProduceRules = TopicProduceRules.Of(configs);
    }

    public string Name { get; }

    public Uuid Id { get; }

    /// <summary>The topic's overrides (defaults are in <see cref="TopicConfigs.Defaults"/>).</summary>
    public IReadOnlyDictionary<string, string> Configs => Volatile.Read(ref _configs);

    /// <summary>What the topic's configs ask of each produced batch.</summary>
    public TopicProduceRules ProduceRules { get; private set; }

    public IReadOnlyList<PartitionLeader> Partitions => Volatile.Read(ref _partitions);

    public PartitionLeader? Partition(int index)
    {
        PartitionLeader[] partitions = Volatile.Read(ref _partitions);
        return (uint)index < (uint)partitions.Length ? partitions[index] : null;
    }

    internal void SetPartitions(PartitionLeader[] partitions) => Volatile.Write(ref _partitions, partitions);

    internal void SetConfigs(IReadOnlyDictionary<string, string> configs)
    {
        ProduceRules = TopicProduceRules.Of(configs);
        Volatile.Write(ref _configs, configs);
    }
}
