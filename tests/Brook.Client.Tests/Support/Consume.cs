using Brook.Client.Consuming;

namespace Brook.Client.Tests.Support;

/// <summary>Polls until a number of records arrived, failing after a deadline rather than sleeping.</summary>
public static class Consume
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    public static async Task<List<ConsumeResult>> AtLeastAsync(KafkaConsumer consumer, int count)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        var records = new List<ConsumeResult>(count);
        while (records.Count < count)
        {
            if (deadline.IsCancellationRequested)
            {
                Assert.Fail($"timed out after {records.Count} of {count} records");
            }
            records.AddRange(await consumer.PollAsync(deadline.Token));
        }
        return records;
    }
}
