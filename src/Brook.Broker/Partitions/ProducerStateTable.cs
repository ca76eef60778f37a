using Brook.Protocol.Errors;

namespace Brook.Broker.Partitions;

/// <summary>
/// Producer state of one partition: per producer id its epoch, the sequence and offset ranges of
/// its last five batches (duplicate detection: a retried batch is answered with its original
/// offset; ordering: a gap is OUT_OF_ORDER_SEQUENCE_NUMBER), the coordinator epoch of its last
/// transaction marker and the first offset of its ongoing transaction, if any. Callers hold the
/// partition's append lock, so this needs none of its own.
/// </summary>
public sealed class ProducerStateTable
{
    /// <summary>How many batches per producer are remembered (clients keep at most five in flight).</summary>
    public const int RememberedBatches = 5;

    private const short UnknownEpoch = -1;

    private readonly Dictionary<long, ProducerEntry> _producers = [];

    public int Count => _producers.Count;

    /// <summary>What to do with a data batch: append it, answer it as a duplicate, or reject it.</summary>
    public SequenceCheck Check(long producerId, short epoch, int firstSequence, int lastSequence, bool transactional = false)
    {
        if (!_producers.TryGetValue(producerId, out ProducerEntry? entry))
        {
            // Unknown producer (new, or its state aged out of the log): accept, as Kafka does since KIP-360.
            return SequenceCheck.Append;
        }
        if (entry.Epoch == UnknownEpoch)
        {
            // Known only from the log's open transactions (restart without its batches): any sequence.
            return entry.CurrentTxnFirstOffset >= 0 && !transactional ? SequenceCheck.Reject(ErrorCode.InvalidTxnState) : SequenceCheck.Append;
        }
        if (epoch < entry.Epoch)
        {
            return SequenceCheck.Reject(ErrorCode.InvalidProducerEpoch);
        }
        if (epoch == entry.Epoch)
        {
            foreach (BatchMetadata batch in entry.Batches)
            {
                if (batch.FirstSequence == firstSequence && batch.LastSequence == lastSequence)
                {
                    return SequenceCheck.Duplicate(batch.FirstOffset, batch.LastOffset);
                }
            }
        }
        bool inSequence = epoch > entry.Epoch
            ? firstSequence == 0
            : entry.Batches.Count == 0 || firstSequence == NextSequence(entry.Batches[^1].LastSequence);
        if (!inSequence)
        {
            return SequenceCheck.Reject(ErrorCode.OutOfOrderSequenceNumber);
        }
        // A plain write while the producer's transaction is open would escape the transaction.
        return entry.CurrentTxnFirstOffset >= 0 && !transactional ? SequenceCheck.Reject(ErrorCode.InvalidTxnState) : SequenceCheck.Append;
    }

    /// <summary>
    /// Remembers an appended data batch; true when it began a transaction (a transactional batch
    /// from a producer with none open), whose first offset is then <paramref name="firstOffset"/>.
    /// </summary>
    public bool Record(long producerId, short epoch, int firstSequence, int lastSequence, long firstOffset, long lastOffset, bool transactional = false)
    {
        ProducerEntry entry = EntryFor(producerId, epoch);
        if (entry.Batches.Count == RememberedBatches)
        {
            entry.Batches.RemoveAt(0);
        }
        entry.Batches.Add(new BatchMetadata(firstSequence, lastSequence, firstOffset, lastOffset));
        if (transactional && entry.CurrentTxnFirstOffset < 0)
        {
            entry.CurrentTxnFirstOffset = firstOffset;
            return true;
        }
        return false;
    }

    /// <summary>Whether <paramref name="epoch"/> is older than the producer's (a fenced zombie).</summary>
    public bool IsFenced(long producerId, short epoch) =>
        _producers.TryGetValue(producerId, out ProducerEntry? entry) && entry.Epoch != UnknownEpoch && epoch < entry.Epoch;

    /// <summary>A transactional batch without sequences (the group coordinator's offset commits): takes the epoch and opens a transaction at <paramref name="firstOffset"/> if none is open.</summary>
    public void RecordWithoutSequence(long producerId, short epoch, long firstOffset)
    {
        ProducerEntry entry = EntryFor(producerId, epoch);
        if (entry.CurrentTxnFirstOffset < 0)
        {
            entry.CurrentTxnFirstOffset = firstOffset;
        }
    }

    /// <summary>
    /// Whether an end-transaction marker may be written: an older producer epoch is
    /// INVALID_PRODUCER_EPOCH and an older coordinator epoch TRANSACTION_COORDINATOR_FENCED, as in Kafka.
    /// </summary>
    public ErrorCode CheckMarker(long producerId, short epoch, int coordinatorEpoch)
    {
        if (!_producers.TryGetValue(producerId, out ProducerEntry? entry))
        {
            return ErrorCode.None;
        }
        return epoch < entry.Epoch ? ErrorCode.InvalidProducerEpoch
            : coordinatorEpoch < entry.CoordinatorEpoch ? ErrorCode.TransactionCoordinatorFenced
            : ErrorCode.None;
    }

    /// <summary>
    /// Records an end-transaction marker: the producer's open transaction (if any) ends. Returns
    /// the first offset of the transaction it ended, or -1 when none was open (the marker changes
    /// nothing else then).
    /// </summary>
    public long EndTransaction(long producerId, short epoch, int coordinatorEpoch, long markerOffset)
    {
        ProducerEntry entry = EntryFor(producerId, epoch);
        long first = entry.CurrentTxnFirstOffset;
        entry.CurrentTxnFirstOffset = -1;
        entry.CoordinatorEpoch = coordinatorEpoch;
        entry.LastMarkerOffset = markerOffset;
        return first;
    }

    /// <summary>The offset of the producer's last marker seen since start-up, -1 when none (the KIP-890 verification guard).</summary>
    public long LastMarkerOffset(long producerId) =>
        _producers.TryGetValue(producerId, out ProducerEntry? entry) ? entry.LastMarkerOffset : -1;

    /// <summary>The first offset of the producer's open transaction, or -1.</summary>
    public long OngoingTransactionStart(long producerId) =>
        _producers.TryGetValue(producerId, out ProducerEntry? entry) ? entry.CurrentTxnFirstOffset : -1;

    /// <summary>Makes exactly the given transactions open (producer id → first offset); producers not known yet get an unknown epoch.</summary>
    public void SetOngoingTransactions(IReadOnlyDictionary<long, long> open)
    {
        ArgumentNullException.ThrowIfNull(open);
        foreach ((long producerId, ProducerEntry entry) in _producers)
        {
            entry.CurrentTxnFirstOffset = open.TryGetValue(producerId, out long first) ? first : -1;
        }
        foreach ((long producerId, long first) in open)
        {
            if (!_producers.ContainsKey(producerId))
            {
                _producers[producerId] = new ProducerEntry(UnknownEpoch) { CurrentTxnFirstOffset = first };
            }
        }
    }

    /// <summary>Every open transaction as (producer id, first offset).</summary>
    public IEnumerable<(long ProducerId, long FirstOffset)> OngoingTransactions()
    {
        foreach ((long id, ProducerEntry entry) in _producers)
        {
            if (entry.CurrentTxnFirstOffset >= 0)
            {
                yield return (id, entry.CurrentTxnFirstOffset);
            }
        }
    }

    /// <summary>The producers, their last batch and open transaction, for DescribeProducers.</summary>
    public IEnumerable<ProducerDescription> Describe()
    {
        foreach ((long id, ProducerEntry entry) in _producers)
        {
            BatchMetadata last = entry.Batches.Count > 0 ? entry.Batches[^1] : new BatchMetadata(-1, -1, -1, -1);
            yield return new ProducerDescription(id, entry.Epoch, last.LastSequence, last.LastOffset, entry.CoordinatorEpoch, entry.CurrentTxnFirstOffset);
        }
    }

    /// <summary>The last sequence of a batch: base + lastOffsetDelta, wrapping past Int32.MaxValue to 0.</summary>
    public static int LastSequence(int baseSequence, int lastOffsetDelta) =>
        (int)((baseSequence + (long)lastOffsetDelta) % ((long)int.MaxValue + 1));

    /// <summary>Every producer's state, for a snapshot.</summary>
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
            snapshot.Add(new ProducerSnapshot
            {
                ProducerId = id,
                Epoch = entry.Epoch,
                Batches = batches,
                CoordinatorEpoch = entry.CoordinatorEpoch,
                CurrentTxnFirstOffset = entry.CurrentTxnFirstOffset,
            });
        }
        return snapshot;
    }

    /// <summary>Restores what <see cref="Export"/> saved (before any batch is recorded).</summary>
    public void Import(IEnumerable<ProducerSnapshot> producers)
    {
        ArgumentNullException.ThrowIfNull(producers);
        foreach (ProducerSnapshot producer in producers)
        {
            var entry = new ProducerEntry(producer.Epoch)
            {
                CoordinatorEpoch = producer.CoordinatorEpoch,
                CurrentTxnFirstOffset = producer.CurrentTxnFirstOffset,
            };
            foreach (long[] batch in producer.Batches)
            {
                entry.Batches.Add(new BatchMetadata((int)batch[0], (int)batch[1], batch[2], batch[3]));
            }
            _producers[producer.ProducerId] = entry;
        }
    }

    /// <summary>Sequences wrap from Int32.MaxValue to 0.</summary>
    public static int NextSequence(int sequence) => sequence == int.MaxValue ? 0 : sequence + 1;

    /// <summary>The producer's entry at <paramref name="epoch"/>; a new epoch forgets the old epoch's batches but not an open transaction.</summary>
    private ProducerEntry EntryFor(long producerId, short epoch)
    {
        if (!_producers.TryGetValue(producerId, out ProducerEntry? entry))
        {
            entry = new ProducerEntry(epoch);
            _producers[producerId] = entry;
        }
        else if (entry.Epoch != epoch)
        {
            entry.Epoch = epoch;
            entry.Batches.Clear();
        }
        return entry;
    }

    private sealed class ProducerEntry(short epoch)
    {
        public short Epoch { get; set; } = epoch;

        public int CoordinatorEpoch { get; set; } = -1;

        public long CurrentTxnFirstOffset { get; set; } = -1;

        public long LastMarkerOffset { get; set; } = -1;

        public List<BatchMetadata> Batches { get; } = new(RememberedBatches);
    }

    private readonly record struct BatchMetadata(int FirstSequence, int LastSequence, long FirstOffset, long LastOffset);
}

/// <summary>One producer as DescribeProducers shows it; -1 for what it does not have (no batch, no marker, no open transaction).</summary>
public readonly record struct ProducerDescription(long ProducerId, short Epoch, int LastSequence, long LastOffset, int CoordinatorEpoch, long CurrentTxnStartOffset);

/// <summary>One producer in a producer-state snapshot: batches as [firstSequence, lastSequence, firstOffset, lastOffset].</summary>
public sealed class ProducerSnapshot
{
    public long ProducerId { get; init; }

    public short Epoch { get; init; }

    public List<long[]> Batches { get; init; } = [];

    public int CoordinatorEpoch { get; init; } = -1;

    /// <summary>First offset of the producer's open transaction, -1 when none.</summary>
    public long CurrentTxnFirstOffset { get; init; } = -1;
}

/// <summary>The outcome of <see cref="ProducerStateTable.Check"/>.</summary>
public readonly record struct SequenceCheck(ErrorCode Error, bool IsDuplicate, long FirstOffset, long LastOffset)
{
    public static SequenceCheck Append => default;

    public static SequenceCheck Duplicate(long firstOffset, long lastOffset) => new(ErrorCode.None, true, firstOffset, lastOffset);

    public static SequenceCheck Reject(ErrorCode error) => new(error, false, -1, -1);
}
