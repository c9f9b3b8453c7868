namespace HealthBlock.Doctor.Tests;

/// <summary>The one way these tests wait for something to happen: poll a condition until it holds, or fail after a timeout.</summary>
internal static class Eventually
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Waits until <paramref name="condition"/> holds, failing after <paramref name="timeout"/> (default 30 s).</summary>
    public static Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        WaitUntilAsync(() => Task.FromResult(condition()), what, timeout);

    /// <summary>Waits until <paramref name="condition"/> holds, failing after <paramref name="timeout"/> (default 30 s).</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting for {what}.");
            }

            await Task.Delay(10);
        }
    }
}
