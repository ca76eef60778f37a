using Brook.Client.Admin;

namespace Brook.Client.Consuming;

/// <summary>A partition's next offset to fetch, or the look-up (earliest, latest, by time) that will set it.</summary>
internal sealed class PartitionPosition
{
    public long Offset { get; private set; } = -1;

    public OffsetSpec? PendingReset { get; private set; }

    public static PartitionPosition Reset(OffsetSpec spec) => new() { PendingReset = spec };

    public void SeekTo(long offset)
    {
        Offset = offset;
        PendingReset = null;
    }

    public void ResetTo(OffsetSpec spec)
    {
        Offset = -1;
        PendingReset = spec;
    }

    public void Advance(long next)
    {
        if (next > Offset)
        {
            Offset = next;
        }
    }
}
