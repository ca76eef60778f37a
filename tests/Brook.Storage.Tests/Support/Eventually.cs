namespace Brook.Storage.Tests.Support;

/// <summary>Waits for something a background thread does: polls a condition until it holds or the deadline passes.</summary>
internal static class Eventually
{
    public static async Task Until(Func<bool> condition, TimeSpan deadline)
    {
        var end = DateTime.UtcNow + deadline;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < end, "condition not reached before the deadline");
            await Task.Yield();
            await Task.Delay(1);
        }
    }
}
