namespace Brook.Tests.Shared;

/// <summary>
/// Holds a lock on a thread of its own until disposed: a test stands for a flush stuck in fsync
/// by holding a log's flush lock (a <see cref="Lock"/> must be released by the thread that took
/// it, which an async test cannot promise).
/// </summary>
internal sealed class HeldLock : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly ManualResetEventSlim _held = new();
    private readonly ManualResetEventSlim _release = new();
    private readonly Thread _holder;
    private bool _disposed;

    public HeldLock(Lock target)
    {
        _holder = new Thread(() =>
        {
            using (target.EnterScope())
            {
                _held.Set();
                _release.Wait();
            }
        })
        { IsBackground = true };
        _holder.Start();
        Assert.True(_held.Wait(Deadline));
    }

    /// <summary>Releases the lock (once; a test may release it early and still dispose it at the end of its scope).</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        _release.Set();
        _holder.Join();
        _held.Dispose();
        _release.Dispose();
    }
}
