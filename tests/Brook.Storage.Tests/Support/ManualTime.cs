namespace Brook.Storage.Tests.Support;

/// <summary>A clock the test moves by hand.</summary>
internal sealed class ManualTime(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public ManualTime()
        : this(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000))
    {
    }

    public long NowMs => _now.ToUnixTimeMilliseconds();

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
