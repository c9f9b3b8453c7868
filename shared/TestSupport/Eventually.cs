// Shared by the test projects (linked into each, not a library).
namespace HealthBlock.TestSupport;

/// <summary>
/// The one way tests wait for something to happen: poll a condition until it holds, or fail after a timeout naming what
/// was awaited. Never a fixed sleep.
/// </summary>
internal static class Eventually
{
    /// <summary>How long a wait lasts unless the caller says otherwise.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Waits until <paramref name="condition"/> holds, failing after <paramref name="timeout"/> (default 30 s).</summary>
    public static Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        WaitUntilAsync(() => Task.FromResult(condition()), what, timeout);

    /// <summary>Waits until <paramref name="condition"/> holds, failing after <paramref name="timeout"/> (default 30 s).</summary>
    public static Task WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null) =>
        WaitUntilAsync(condition, () => what, timeout);

    /// <summary>
    /// Waits until <paramref name="condition"/> holds; on timeout the failure says <paramref name="what"/> as it reads
    /// then (for messages that report the state reached).
    /// </summary>
    public static Task WaitUntilAsync(Func<bool> condition, Func<string> what, TimeSpan? timeout = null) =>
        WaitUntilAsync(() => Task.FromResult(condition()), what, timeout);

    /// <summary>
    /// Waits until <paramref name="condition"/> holds; on timeout the failure says <paramref name="what"/> as it reads
    /// then (for messages that report the state reached).
    /// </summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, Func<string> what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var deadline = DateTime.UtcNow + limit;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {limit.TotalSeconds:0.#} s waiting for {what()}.");
            }

            await Task.Delay(10);
        }
    }
}
