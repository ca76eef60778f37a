namespace Brook.Client.Producing;

/// <summary>
/// A partition's producer-side state: the open batch, sealed batches waiting to go (in sequence
/// order), what is in flight, and failed batches waiting for the in-flight ones to come back so
/// they can all be resent in their original order.
/// </summary>
internal sealed class PartitionState(TopicPartition partition)
{
    public TopicPartition TopicPartition { get; } = partition;

    public ProducerBatch? Open { get; set; }

    public LinkedList<ProducerBatch> Ready { get; } = new();

    public List<ProducerBatch> ToRetry { get; } = [];

    public int InFlight { get; set; }

    public int NextSequence { get; set; }

    public DateTimeOffset BackoffUntil { get; set; }

    /// <summary>Once every in-flight batch is back, puts the failed ones first in the ready queue, lowest sequence first.</summary>
    public void RequeueRetriesWhenQuiet(DateTimeOffset backoffUntil)
    {
        if (InFlight > 0 || ToRetry.Count == 0)
        {
            return;
        }
        ToRetry.Sort(static (a, b) => b.BaseSequence.CompareTo(a.BaseSequence));
        foreach (ProducerBatch batch in ToRetry)
        {
            Ready.AddFirst(batch);
        }
        ToRetry.Clear();
        BackoffUntil = backoffUntil;
    }

    /// <summary>True while failed batches wait for the rest to return: nothing new may go out meanwhile.</summary>
    public bool IsRetrying => ToRetry.Count > 0;
}
