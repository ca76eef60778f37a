using System.Diagnostics;

namespace Brook.Client.Tests.Support;

/// <summary>Waits for a condition with a deadline, instead of sleeping for a guessed time.</summary>
public static class Eventually
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public static async Task True(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > Deadline)
            {
                Assert.Fail($"timed out waiting until {what}");
            }
            await Task.Delay(5);
        }
    }
}
