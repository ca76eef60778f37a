namespace Brook.Broker.Observability;

/// <summary>Observations counted into fixed buckets, with their sum, for Prometheus histograms.</summary>
public sealed class Histogram
{
    private readonly double[] _upperBounds;
    private readonly long[] _bucketCounts;
    private long _count;
    private long _sumBits;

    /// <param name="upperBounds">Ascending inclusive upper bounds; the +Inf bucket is implied.</param>
    public Histogram(double[] upperBounds)
    {
        _upperBounds = upperBounds;
        _bucketCounts = new long[upperBounds.Length];
    }

    public IReadOnlyList<double> UpperBounds => _upperBounds;

    public long Count => Interlocked.Read(ref _count);

    public double Sum => BitConverter.Int64BitsToDouble(Interlocked.Read(ref _sumBits));

    public void Observe(double value)
    {
        for (int i = 0; i < _upperBounds.Length; i++)
        {
            if (value <= _upperBounds[i])
            {
                Interlocked.Increment(ref _bucketCounts[i]);
                break;
            }
        }
        Interlocked.Increment(ref _count);
        AddToSum(value);
    }

    /// <summary>Observations at or below each upper bound (cumulative, as Prometheus wants them).</summary>
    public long[] CumulativeBucketCounts()
    {
        var cumulative = new long[_bucketCounts.Length];
        long running = 0;
        for (int i = 0; i < _bucketCounts.Length; i++)
        {
            running += Interlocked.Read(ref _bucketCounts[i]);
            cumulative[i] = running;
        }
        return cumulative;
    }

    private void AddToSum(double value)
    {
        long seen = Interlocked.Read(ref _sumBits);
        while (true)
        {
            long updated = BitConverter.DoubleToInt64Bits(BitConverter.Int64BitsToDouble(seen) + value);
            long found = Interlocked.CompareExchange(ref _sumBits, updated, seen);
            if (found == seen)
            {
                return;
            }
            seen = found;
        }
    }
}
