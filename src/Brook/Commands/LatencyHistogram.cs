namespace Brook.Commands;

/// <summary>
/// Counts latencies (microseconds) in buckets of two significant digits (at most ~10% apart), safe to
/// record from several threads, allocation-free per value; percentiles report a bucket's lower bound.
/// </summary>
public sealed class LatencyHistogram
{
    private const int Exponents = 12;
    private readonly long[] _counts = new long[100 + Exponents * 90];
    private long _max;
    private long _total;

    public long Count => Interlocked.Read(ref _total);

    public void Record(long micros)
    {
        if (micros < 0)
        {
            micros = 0;
        }
        Interlocked.Increment(ref _counts[Index(micros)]);
        Interlocked.Increment(ref _total);
        long max;
        while (micros > (max = Interlocked.Read(ref _max)) && Interlocked.CompareExchange(ref _max, micros, max) != max)
        {
        }
    }

    /// <summary>The latency (µs) at or below which <paramref name="percentile"/> percent of values fall.</summary>
    public long Percentile(double percentile)
    {
        long total = Count;
        if (total == 0)
        {
            return 0;
        }
        long rank = Math.Max(1, (long)Math.Ceiling(total * percentile / 100));
        long seen = 0;
        for (int i = 0; i < _counts.Length; i++)
        {
            seen += Interlocked.Read(ref _counts[i]);
            if (seen >= rank)
            {
                return Math.Min(ValueOf(i), Max);
            }
        }
        return Max;
    }

    public long Max => Interlocked.Read(ref _max);

    private static int Index(long value)
    {
        if (value < 100)
        {
            return (int)value;
        }
        int exponent = 0;
        while (value >= 100 && exponent < Exponents - 1)
        {
            value /= 10;
            exponent++;
        }
        return 100 + (exponent - 1) * 90 + (int)Math.Min(value, 99) - 10;
    }

    private static long ValueOf(int index)
    {
        if (index < 100)
        {
            return index;
        }
        int exponent = (index - 100) / 90 + 1;
        long mantissa = (index - 100) % 90 + 10;
        for (int i = 0; i < exponent; i++)
        {
            mantissa *= 10;
        }
        return mantissa;
    }
}
