using Brook.Protocol.Errors;

namespace Brook.Broker.Partitions;

/// <summary>
/// Idempotent-producer state of one partition: per producer id its epoch and the sequence and
/// offset ranges of its last five batches, for duplicate detection (a retried batch is answered
/// with its original offset) and ordering (a gap is OUT_OF_ORDER_SEQUENCE_NUMBER). Callers hold
/// the partition's append lock, so this needs none of its own.
/// </summary>
public sealed class ProducerStateTable
{
    /// <summary>How many batches per producer are remembered (clients keep at most five in flight).</summary>
    public const int RememberedBatches = 5;

    private readonly Dictionary<long, ProducerEntry> _producers = [];

    public int Count => _producers.Count;

    /// <summary>What to do with a batch: append it, answer it as a duplicate, or reject it.</summary>
    public SequenceCheck Check(long producerId, short epoch, int firstSequence, int lastSequence)
    {
        if (!_producers.TryGetValue(producerId, out ProducerEntry? entry))
        {
            // Unknown producer (new, or its state aged out of the log): accept, as Kafka does since KIP-360.
            return SequenceCheck.Append;
        }
        if (epoch < entry.Epoch)
        {
            return SequenceCheck.Reject(ErrorCode.InvalidProducerEpoch);
        }
        if (epoch > entry.Epoch)
        {
            return firstSequence == 0 ? SequenceCheck.Append : SequenceCheck.Reject(ErrorCode.OutOfOrderSequenceNumber);
        }
        foreach (BatchMetadata batch in entry.Batches)
        {
            if (batch.FirstSequence == firstSequence && batch.LastSequence == lastSequence)
            {
                return SequenceCheck.Duplicate(batch.FirstOffset, batch.LastOffset);
            }
        }
        int expected = entry.Batches.Count == 0 ? 0 : NextSequence(entry.Batches[^1].LastSequence);
        return entry.Batches.Count == 0 || firstSequence == expected
            ? SequenceCheck.Append
            : SequenceCheck.Reject(ErrorCode.OutOfOrderSequenceNumber);
    }

    /// <summary>Remembers an appended batch.</summary>
    public void Record(long producerId, short epoch, int firstSequence, int lastSequence, long firstOffset, long lastOffset)
    {
        if (!_producers.TryGetValue(producerId, out ProducerEntry? entry) || entry.Epoch != epoch)
        {
            entry = new ProducerEntry(epoch);
            _producers[producerId] = entry;
        }
        if (entry.Batches.Count == RememberedBatches)
        {
            entry.Batches.RemoveAt(0);
        }
        entry.Batches.Add(new BatchMetadata(firstSequence, lastSequence, firstOffset, lastOffset));
    }

    /// <summary>The producers and their last batch, for DescribeProducers.</summary>
    public IEnumerable<(long ProducerId, short Epoch, int LastSequence, long LastOffset)> Describe()
    {
        foreach ((long id, ProducerEntry entry) in _producers)
        {
            BatchMetadata last = entry.Batches[^1];
            yield return (id, entry.Epoch, last.LastSequence, last.LastOffset);
        }
    }

    /// <summary>The last sequence of a batch: base + lastOffsetDelta, wrapping past Int32.MaxValue to 0.</summary>
    public static int LastSequence(int baseSequence, int lastOffsetDelta) =>
        (int)((baseSequence + (long)lastOffsetDelta) % ((long)int.MaxValue + 1));

    /// <summary>Every producer's epoch and remembered batches, for a snapshot.</summary>
    public List<ProducerSnapshot> Export()
    {
        var snapshot = new List<ProducerSnapshot>(_producers.Count);
        foreach ((long id, ProducerEntry entry) in _producers)
        {
            var batches = new List<long[]>(entry.Batches.Count);
            foreach (BatchMetadata batch in entry.Batches)
            {
                batches.Add([batch.FirstSequence, batch.LastSequence, batch.FirstOffset, batch.LastOffset]);
            }
            snapshot.Add(new ProducerSnapshot { ProducerId = id, Epoch = entry.Epoch, Batches = batches });
        }
        return snapshot;
    }

    /// <summary>Restores what <see cref="Export"/> saved (before any batch is recorded).</summary>
    public void Import(IEnumerable<ProducerSnapshot> producers)
    {
        ArgumentNullException.ThrowIfNull(producers);
        foreach (ProducerSnapshot producer in producers)
        {
            foreach (long[] batch in producer.Batches)
            {
                Record(producer.ProducerId, producer.Epoch, (int)batch[0], (int)batch[1], batch[2], batch[3]);
            }
        }
    }

    /// <summary>Sequences wrap from Int32.MaxValue to 0.</summary>
    public static int NextSequence(int sequence) => sequence == int.MaxValue ? 0 : sequence + 1;

    private sealed class ProducerEntry(short epoch)
    {
        public short Epoch { get; } = epoch;

        public List<BatchMetadata> Batches { get; } = new(RememberedBatches);
    }

    private readonly record struct BatchMetadata(int FirstSequence, int LastSequence, long FirstOffset, long LastOffset);
}

/// <summary>One producer in a producer-state snapshot: batches as [firstSequence, lastSequence, firstOffset, lastOffset].</summary>
public sealed class ProducerSnapshot
{
    public long ProducerId { get; init; }

    public short Epoch { get; init; }

    public List<long[]> Batches { get; init; } = [];
}

/// <summary>The outcome of <see cref="ProducerStateTable.Check"/>.</summary>
public readonly record struct SequenceCheck(ErrorCode Error, bool IsDuplicate, long FirstOffset, long LastOffset)
{
    public static SequenceCheck Append => default;

    public static SequenceCheck Duplicate(long firstOffset, long lastOffset) => new(ErrorCode.None, true, firstOffset, lastOffset);

    public static SequenceCheck Reject(ErrorCode error) => new(error, false, -1, -1);
}
