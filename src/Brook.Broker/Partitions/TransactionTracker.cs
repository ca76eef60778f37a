namespace Brook.Broker.Partitions;

/// <summary>
/// The transactions that hold a partition's last stable offset back: the ongoing ones (by first
/// offset) and the completed ones whose marker is not yet below the high watermark (a marker only
/// counts once it is committed, as in Kafka). <see cref="FirstUnstableOffset"/> is their smallest
/// first offset, read lock-free by fetches; see docs/log-invariants.md, "Offsets".
/// </summary>
public sealed class TransactionTracker
{
    private readonly Lock _lock = new();
    private readonly SortedSet<(long FirstOffset, long ProducerId)> _ongoing = [];
    private readonly List<(long FirstOffset, long MarkerOffset)> _completing = [];
    private long _firstUnstableOffset = long.MaxValue;

    /// <summary>The smallest first offset of a transaction not yet decided and committed; long.MaxValue when none.</summary>
    public long FirstUnstableOffset => Volatile.Read(ref _firstUnstableOffset);

    public int OngoingCount
    {
        get
        {
            lock (_lock)
            {
                return _ongoing.Count;
            }
        }
    }

    /// <summary>A transaction began at <paramref name="firstOffset"/> (called before its first batch is written, so no reader sees the batch unpinned).</summary>
    public void Begin(long producerId, long firstOffset)
    {
        lock (_lock)
        {
            _ongoing.Add((firstOffset, producerId));
            Publish();
        }
    }

    /// <summary>Undoes <see cref="Begin"/> when the first batch was not written after all.</summary>
    public void Cancel(long producerId, long firstOffset)
    {
        lock (_lock)
        {
            _ongoing.Remove((firstOffset, producerId));
            Publish();
        }
    }

    /// <summary>The transaction that began at <paramref name="firstOffset"/> ended with a marker at <paramref name="markerOffset"/>.</summary>
    public void Complete(long producerId, long firstOffset, long markerOffset)
    {
        lock (_lock)
        {
            _ongoing.Remove((firstOffset, producerId));
            _completing.Add((firstOffset, markerOffset));
            Publish();
        }
    }

    /// <summary>Transactions whose marker is below the high watermark (committed) stop holding the last stable offset; true when any did.</summary>
    public bool OnHighWatermark(long highWatermark)
    {
        lock (_lock)
        {
            if (_completing.Count == 0)
            {
                return false;
            }
            int removed = 0;
            for (int i = _completing.Count - 1; i >= 0; i--)
            {
                if (_completing[i].MarkerOffset < highWatermark)
                {
                    _completing.RemoveAt(i);
                    removed++;
                }
            }
            if (removed > 0)
            {
                Publish();
            }
            return removed > 0;
        }
    }

    /// <summary>Forgets everything (start-up rebuilds from the producer state).</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _ongoing.Clear();
            _completing.Clear();
            Publish();
        }
    }

    private void Publish()
    {
        long first = _ongoing.Count > 0 ? _ongoing.Min.FirstOffset : long.MaxValue;
        foreach ((long firstOffset, _) in _completing)
        {
            first = Math.Min(first, firstOffset);
        }
        Volatile.Write(ref _firstUnstableOffset, first);
    }
}
