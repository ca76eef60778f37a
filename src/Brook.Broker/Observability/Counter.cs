namespace Brook.Broker.Observability;

/// <summary>A count that only goes up.</summary>
public sealed class Counter
{
    private long _value;

    public long Value => Interlocked.Read(ref _value);

    public void Increment() => Interlocked.Increment(ref _value);

    public void Add(long amount)
    {
        if (amount < 0)
        {
            ThrowNegative(amount);
        }
        Interlocked.Add(ref _value, amount);
    }

    private static void ThrowNegative(long amount) =>
        throw new ArgumentOutOfRangeException(nameof(amount), amount, "a counter only goes up");
}
