using System.Collections.Concurrent;
using System.Globalization;
using Brook.Broker.Cluster;
using Brook.Broker.Partitions;

namespace Brook.Broker.Observability;

/// <summary>
/// Per-topic traffic counters and per-partition log gauges. The counters are recorded once per
/// batch on the produce and fetch paths through series cached per <see cref="TopicState"/>, so
/// recording allocates nothing after a topic's first batch. The gauges (offsets, size on disk)
/// are read from the live logs by a collector the registry runs at scrape time.
/// </summary>
public sealed class TopicMetrics
{
    private readonly Func<ICollection<TopicState>> _liveTopics;
    private readonly ConcurrentDictionary<TopicState, TopicSeries> _byTopic = new(ReferenceEqualityComparer.Instance);
    private readonly MetricFamily<Counter> _receivedBytes;
    private readonly MetricFamily<Counter> _receivedRecords;
    private readonly MetricFamily<Counter> _sentBytes;
    private readonly MetricFamily<Gauge> _logEndOffset;
    private readonly MetricFamily<Gauge> _logStartOffset;
    private readonly MetricFamily<Gauge> _highWatermark;
    private readonly MetricFamily<Gauge> _sizeBytes;

    // From a tenth of a millisecond (an fsync a fast disk answers from its cache) to seconds.
    private static readonly double[] FlushBuckets = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

    public TopicMetrics(MetricRegistry registry, Func<ICollection<TopicState>> liveTopics)
    {
        ArgumentNullException.ThrowIfNull(registry);
        _liveTopics = liveTopics;
        _receivedBytes = registry.CounterFamily("brook_topic_received_bytes_total", "Record batch bytes accepted by Produce (an idempotent retry of a stored batch counts again), by topic.", "topic");
        _receivedRecords = registry.CounterFamily("brook_topic_received_records_total", "Records accepted by Produce (batch header counts), by topic.", "topic");
        _sentBytes = registry.CounterFamily("brook_topic_sent_bytes_total", "Record batch bytes returned by Fetch, by topic.", "topic");
        _logEndOffset = registry.GaugeFamily("brook_partition_log_end_offset", "Offset the next appended record gets.", "topic", "partition");
        _logStartOffset = registry.GaugeFamily("brook_partition_log_start_offset", "First offset still readable.", "topic", "partition");
        _highWatermark = registry.GaugeFamily("brook_partition_high_watermark", "Offsets below this are committed (fsync'd) and visible to consumers.", "topic", "partition");
        _sizeBytes = registry.GaugeFamily("brook_partition_size_bytes", "Bytes of the partition's log segments.", "topic", "partition");
        LogFlushSeconds = registry.HistogramFamily("brook_log_flush_seconds",
            "Time a flush pass spent making one partition's appended data durable (fsync), as Kafka's LogFlushRateAndTimeMs.", FlushBuckets).WithLabels();
        registry.AddCollector(Collect);
    }

    /// <summary>Flush passes and their fsync time: the disk's share of an acks=all produce.</summary>
    public Histogram LogFlushSeconds { get; }

    /// <summary>Counts one appended batch of <paramref name="bytes"/> holding <paramref name="records"/> records.</summary>
    public void RecordProduced(TopicState topic, int bytes, int records)
    {
        TopicSeries series = SeriesOf(topic);
        series.ReceivedBytes.Add(bytes);
        series.ReceivedRecords.Add(Math.Max(0, records));
    }

    /// <summary>Counts <paramref name="bytes"/> of record batches sent in a Fetch response.</summary>
    public void RecordSent(TopicState topic, int bytes) => SeriesOf(topic).SentBytes.Add(bytes);

    /// <summary>Drops every series of a deleted topic, so a topic re-created under its name starts from zero.</summary>
    public void Forget(TopicState topic)
    {
        ArgumentNullException.ThrowIfNull(topic);
        if (!_byTopic.TryRemove(topic, out TopicSeries? series))
        {
            return;
        }
        _receivedBytes.Remove(topic.Name);
        _receivedRecords.Remove(topic.Name);
        _sentBytes.Remove(topic.Name);
        foreach (string partition in series.PartitionLabels())
        {
            _logEndOffset.Remove(topic.Name, partition);
            _logStartOffset.Remove(topic.Name, partition);
            _highWatermark.Remove(topic.Name, partition);
            _sizeBytes.Remove(topic.Name, partition);
        }
    }

    /// <summary>Copies every live partition's offsets and size into its gauges.</summary>
    public void Collect()
    {
        foreach (TopicState topic in _liveTopics())
        {
            TopicSeries series = SeriesOf(topic);
            IReadOnlyList<PartitionLeader> partitions = topic.Partitions;
            for (int i = 0; i < partitions.Count; i++)
            {
                series.Partition(i, this).Update(partitions[i]);
            }
        }
    }

    private TopicSeries SeriesOf(TopicState topic)
    {
        if (_byTopic.TryGetValue(topic, out TopicSeries? series))
        {
            return series;
        }
        return _byTopic.GetOrAdd(topic, static (t, self) => new TopicSeries(t.Name,
            self._receivedBytes.WithLabels(t.Name), self._receivedRecords.WithLabels(t.Name), self._sentBytes.WithLabels(t.Name)), this);
    }

    private PartitionSeries CreatePartition(string topic, int partition)
    {
        string label = partition.ToString(CultureInfo.InvariantCulture);
        return new PartitionSeries(label,
            _logEndOffset.WithLabels(topic, label),
            _logStartOffset.WithLabels(topic, label),
            _highWatermark.WithLabels(topic, label),
            _sizeBytes.WithLabels(topic, label));
    }

    /// <summary>The cached series of one topic (the object identity of a topic, not its name).</summary>
    private sealed class TopicSeries(string name, Counter receivedBytes, Counter receivedRecords, Counter sentBytes)
    {
        private readonly Lock _grow = new();
        private PartitionSeries[] _partitions = [];

        public Counter ReceivedBytes { get; } = receivedBytes;

        public Counter ReceivedRecords { get; } = receivedRecords;

        public Counter SentBytes { get; } = sentBytes;

        public PartitionSeries Partition(int index, TopicMetrics owner)
        {
            PartitionSeries[] partitions = Volatile.Read(ref _partitions);
            if (index < partitions.Length)
            {
                return partitions[index];
            }
            lock (_grow)
            {
                partitions = _partitions;
                if (index >= partitions.Length)
                {
                    var grown = new PartitionSeries[index + 1];
                    partitions.CopyTo(grown, 0);
                    for (int i = partitions.Length; i < grown.Length; i++)
                    {
                        grown[i] = owner.CreatePartition(name, i);
                    }
                    Volatile.Write(ref _partitions, grown);
                    partitions = grown;
                }
                return partitions[index];
            }
        }

        public IEnumerable<string> PartitionLabels()
        {
            foreach (PartitionSeries partition in Volatile.Read(ref _partitions))
            {
                yield return partition.Label;
            }
        }
    }

    private sealed class PartitionSeries(string label, Gauge logEndOffset, Gauge logStartOffset, Gauge highWatermark, Gauge sizeBytes)
    {
        public string Label { get; } = label;

        public void Update(PartitionLeader partition)
        {
            logEndOffset.Set(partition.Log.LogEndOffset);
            logStartOffset.Set(partition.Log.LogStartOffset);
            highWatermark.Set(partition.Log.HighWatermark);
            sizeBytes.Set(partition.Log.SizeInBytes);
        }
    }
}
