namespace Brook.Broker.Network;

/// <summary>
/// Counts the requests and request bytes one connection holds between reading and writing the
/// response. The reader admits frames and waits for room when over either bound; the writer
/// releases them. A single request larger than the byte bound is still admitted when nothing else
/// is in flight, so it cannot wedge the connection (its size is capped by socket.request.max.bytes).
/// </summary>
public sealed class InFlightBudget
{
    private readonly Lock _lock = new();
    private readonly int _maxRequests;
    private readonly long _maxBytes;
    private int _requests;
    private long _bytes;
    private TaskCompletionSource? _roomWaiter;

    public InFlightBudget(int maxRequests, long maxBytes)
    {
        _maxRequests = maxRequests;
        _maxBytes = maxBytes;
    }

    public int Requests => Volatile.Read(ref _requests);

    public long Bytes => Interlocked.Read(ref _bytes);

    public bool IsFull
    {
        get
        {
            lock (_lock)
            {
                return IsFullLocked;
            }
        }
    }

    private bool IsFullLocked => _requests >= _maxRequests || _bytes >= _maxBytes;

    public void Admit(int bytes)
    {
        lock (_lock)
        {
            _requests++;
            _bytes += bytes;
        }
    }

    public void Release(int bytes)
    {
        TaskCompletionSource? waiter = null;
        lock (_lock)
        {
            _requests--;
            _bytes -= bytes;
            if (_roomWaiter is not null && !IsFullLocked)
            {
                waiter = _roomWaiter;
                _roomWaiter = null;
            }
        }
        waiter?.TrySetResult();
    }

    /// <summary>Completes when the connection is under both bounds.</summary>
    public Task WaitForRoomAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!IsFullLocked)
            {
                return Task.CompletedTask;
            }
            _roomWaiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _roomWaiter.Task.WaitAsync(cancellationToken);
        }
    }
}
