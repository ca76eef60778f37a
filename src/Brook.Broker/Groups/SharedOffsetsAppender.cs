using Brook.Broker.Partitions;
using Brook.Protocol.Errors;

namespace Brook.Broker.Groups;

/// <summary>
/// Group commit for one partition of <c>__consumer_offsets</c>: offset commits that arrive while an
/// earlier batch waits for its fsync are appended together as one record batch once that fsync is
/// done, so commits from many members share writes and fsyncs instead of paying one each. Each
/// caller learns the offset of its first record (records keep their order).
/// </summary>
internal sealed class SharedOffsetsAppender(PartitionLeader partition, Func<IReadOnlyList<(byte[] Key, byte[]? Value)>, byte[]> encode)
{
    private readonly Lock _lock = new();
    private List<Waiter> _pending = [];
    private bool _draining;

    private sealed record Waiter(IReadOnlyList<(byte[] Key, byte[]? Value)> Records, TaskCompletionSource<(ErrorCode Error, long BaseOffset)> Done);

    /// <summary>The error (storage errors as the partition reports them) and the offset of the first of <paramref name="records"/>, once committed.</summary>
    public Task<(ErrorCode Error, long BaseOffset)> AppendAsync(IReadOnlyList<(byte[] Key, byte[]? Value)> records)
    {
        var waiter = new Waiter(records, new TaskCompletionSource<(ErrorCode, long)>(TaskCreationOptions.RunContinuationsAsynchronously));
        bool start;
        lock (_lock)
        {
            _pending.Add(waiter);
            start = !_draining;
            _draining = true;
        }
        if (start)
        {
            _ = DrainAsync();
        }
        return waiter.Done.Task;
    }

    private async Task DrainAsync()
    {
        while (true)
        {
            List<Waiter> batch;
            lock (_lock)
            {
                if (_pending.Count == 0)
                {
                    _draining = false;
                    return;
                }
                batch = _pending;
                _pending = [];
            }
            try
            {
                var records = new List<(byte[] Key, byte[]? Value)>();
                foreach (Waiter waiter in batch)
                {
                    records.AddRange(waiter.Records);
                }
                AppendOutcome outcome = partition.Append(encode(records));
                ErrorCode error = outcome.Error;
                if (error == ErrorCode.None)
                {
                    error = await partition.WaitUntilCommittedAsync(outcome.EndOffset, CancellationToken.None);
                }
                long offset = outcome.FirstOffset;
                foreach (Waiter waiter in batch)
                {
                    waiter.Done.TrySetResult((error, offset));
                    offset += waiter.Records.Count;
                }
            }
            catch (Exception e) when (e is ObjectDisposedException or IOException)
            {
                foreach (Waiter waiter in batch)
                {
                    waiter.Done.TrySetException(e);
                }
            }
        }
    }
}
