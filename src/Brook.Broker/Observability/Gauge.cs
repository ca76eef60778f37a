namespace Brook.Broker.Observability;

/// <summary>A value that goes up and down (open connections, a log end offset, a partition size).</summary>
public sealed class Gauge
{
    private long _value;

    public long Value => Interlocked.Read(ref _value);

    public void Set(long value) => Interlocked.Exchange(ref _value, value);

    public void Increment() => Interlocked.Increment(ref _value);

    public void Decrement() => Interlocked.Decrement(ref _value);

    public void Add(long amount) => Interlocked.Add(ref _value, amount);
}
