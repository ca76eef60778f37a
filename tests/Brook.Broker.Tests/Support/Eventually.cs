using System.Diagnostics;

namespace Brook.Broker.Tests.Support;

/// <summary>Waits for a condition with a deadline, instead of sleeping for a guessed time.</summary>
public static class Eventually
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    public static Task True(Func<bool> condition, string what) => True(condition, () => what);

    /// <param name="describe">Says what was awaited; called only on failure, so it can show the state then.</param>
    public static async Task True(Func<bool> condition, Func<string> describe)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > Deadline)
            {
                Assert.Fail($"timed out waiting until {describe()}");
            }
            await Task.Delay(5);
        }
    }
}
