using System.Diagnostics;

namespace Brook.Interop.Tests.Groups;

/// <summary>Waits for a condition with a deadline (client processes rebalance on their own clocks), never for a guessed time.</summary>
public static class Conditions
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    public static async Task WaitUntil(Func<bool> condition, Func<string> describe, TimeSpan? deadline = null)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > (deadline ?? Deadline))
            {
                Assert.Fail($"timed out waiting until {describe()}");
            }
            await Task.Delay(50);
        }
    }
}
