using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace HealthBlock.Doctor.Runtime;

/// <summary>
/// The node's background tasks and its stop signal: loops and per-patient work are started here, delays end at the
/// stop, and <see cref="StopAsync"/> cancels and waits until every task (including ones started while stopping) ended.
/// </summary>
internal sealed class BackgroundWork(TimeProvider time, ILogger log) : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Task, byte> _tasks = new();

    /// <summary>Cancelled when the node stops.</summary>
    public CancellationToken Stopping => _stop.Token;

    /// <summary>True once the node is stopping.</summary>
    public bool IsStopping => _stop.IsCancellationRequested;

    /// <summary>The clock delays run on.</summary>
    public TimeProvider Time => time;

    /// <summary>Runs <paramref name="work"/> on the thread pool and tracks it.</summary>
    public void Run(Func<Task> work) => Track(Task.Run(work, CancellationToken.None));

    /// <summary>Tracks a task until it ends.</summary>
    public void Track(Task task)
    {
        _tasks.TryAdd(task, 0);
        _ = task.ContinueWith(t => _tasks.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Waits <paramref name="delay"/>; false when the node stops meanwhile.</summary>
    public async Task<bool> DelayAsync(TimeSpan delay)
    {
        try
        {
            await Task.Delay(delay, time, _stop.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Signals the stop and waits for every tracked task to end.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        while (_tasks.Keys.Where(t => !t.IsCompleted).ToList() is { Count: > 0 } running)
        {
            try
            {
                await Task.WhenAll(running).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                log.LogDebug(e, "Background work ended with an error during shutdown");
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => _stop.Dispose();
}
